/** A user's application module: needs nothing from asynclocks but its exported package. */
module example.consumer {
    requires dev.asynclocks;
}
