package dev.asynclocks.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JFR event: a guard was held for at least the long-hold threshold
 * ({@code dev.asynclocks.jfr.longHoldThresholdMillis}, 100 ms unless set). Committed by the thread
 * that released it; the stack trace shows the release.
 *
 * {@snippet lang = "shell" :
 * jfr print --events dev.asynclocks.LongHold recording.jfr
 * }
 */
@Name("dev.asynclocks.LongHold")
@Label("Long Lock Hold")
@Category("asynclocks")
@Description("A guard of an asynclocks lock was held longer than the threshold")
@StackTrace(true)
final class LongHoldEvent extends Event {

    @Label("Lock")
    String lockName;

    @Label("Lock Type")
    String lockType;

    @Label("Permits")
    int permits;

    @Label("Hold Time")
    @Timespan(Timespan.NANOSECONDS)
    long holdTime;
}
