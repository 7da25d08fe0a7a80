package dev.asynclocks.examples.router;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoOptionsTest {

    @Test
    void defaultsMeasureEveryStyleOnAnyFreePort() {
        DemoOptions options = DemoOptions.parse(new String[0]);
        assertFalse(options.routerOnly());
        assertEquals(0, options.port());
        assertEquals(List.of(LockStyle.values()), options.styles());
        assertEquals(Duration.ofMillis(5), options.updateEvery());
    }

    @Test
    void flagsTakeTheirValueAfterASpaceOrAnEqualsSign() {
        DemoOptions options = DemoOptions.parse(new String[] {
                "--port=8080", "--requests", "100", "--concurrency=3", "--update-every-ms", "0", "--style", "b,a,b"});
        assertEquals(8080, options.port());
        assertEquals(100, options.requests());
        assertEquals(3, options.concurrency());
        assertTrue(options.updateEvery().isZero());
        assertEquals(List.of(LockStyle.ASYNC_RELEASED_BEFORE_CALL, LockStyle.ASYNC_HELD_ACROSS_CALL), options.styles());
    }

    @Test
    void routerOnlyServesStyleBUnlessTold() {
        assertEquals(List.of(LockStyle.ASYNC_RELEASED_BEFORE_CALL),
                DemoOptions.parse(new String[] {"--router-only"}).styles());
        assertEquals(List.of(LockStyle.JDK_HELD_ACROSS_CALL),
                DemoOptions.parse(new String[] {"--router-only", "--style", "D"}).styles());
    }

    @Test
    void anEmptyDemoArgsPropertyIsIgnored() {
        assertEquals(DemoOptions.parse(new String[0]), DemoOptions.parse(new String[] {""}));
    }

    @Test
    void badValuesAreRejectedWithTheFlagInTheMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DemoOptions.parse(new String[] {"--concurrency", "0"}));
        assertEquals("--concurrency must be between 1 and 10000, got 0", e.getMessage());
    }
}
