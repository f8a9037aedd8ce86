package org.salistream.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * On a terminal the trainer's progress is one line rewritten in place (carriage return, erase to the end of
 * the line), with permanent lines printed above it; elsewhere only permanent lines.
 */
class StatusLineTest {

    @Test
    void progressRewritesOneLineAndNewsGoesAboveIt() {
        StringWriter w = new StringWriter();
        StatusLine s = new StatusLine(new PrintWriter(w), "sali train: ", true);
        s.status("step 1");
        s.status("step 2");
        s.line("epoch 1 done");
        s.status("step 3");
        s.end();
        assertEquals(
                "\rsali train: step 1\033[K\rsali train: step 2\033[K\r\033[Ksali train: epoch 1 done\n"
                        + "\rsali train: step 3\033[K\n",
                w.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void withoutATerminalOnlyLines() {
        StringWriter w = new StringWriter();
        StatusLine s = new StatusLine(new PrintWriter(w), "p: ", false);
        s.line("a");
        s.end();
        assertEquals("p: a\n", w.toString().replace(System.lineSeparator(), "\n"));
    }
}
