package dev.asynclocks.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JFR event: an acquisition waited in the queue for at least the contention threshold
 * ({@code dev.asynclocks.jfr.contentionThresholdMillis}, 20 ms unless set). Committed by the thread
 * that granted it, right after the grant.
 *
 * {@snippet lang = "shell" :
 * jfr print --events dev.asynclocks.ContendedAcquisition recording.jfr
 * }
 */
@Name("dev.asynclocks.ContendedAcquisition")
@Label("Contended Lock Acquisition")
@Category("asynclocks")
@Description("An acquisition of an asynclocks lock waited in the queue longer than the threshold")
@StackTrace(false)
final class ContendedAcquisitionEvent extends Event {

    @Label("Lock")
    String lockName;

    @Label("Lock Type")
    String lockType;

    @Label("Permits")
    int permits;

    @Label("Wait Time")
    @Timespan(Timespan.NANOSECONDS)
    long waitTime;

    @Label("Queue Length At Grant")
    @Description("Acquisitions still waiting after this one was granted")
    int queueLength;
}
