package org.salistream.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The test JVMs pin libtorch's intra-op threads ({@code -Dai.djl.pytorch.num_threads}, 2 by default and 1
 * in the second float-parity run of the build), since kernel choice and the order of parallel reductions
 * change with it: this checks that the engine really runs with the thread count each run asks for, so that
 * the parity tests of both runs measure what they claim to.
 */
@Tag("float-parity")
class TorchThreadsTest {

    @Test
    void theEngineRunsWithTheIntraOpThreadCountTheTestRunAsksFor() {
        Integer asked = Integer.getInteger("ai.djl.pytorch.num_threads");
        assertNotNull(asked, "the test JVM should pin -Dai.djl.pytorch.num_threads (root pom, sali.torch.threads)");
        assertEquals("PyTorch", Engine.getInstance().getEngineName());
        assertEquals(asked.intValue(), JniUtils.getNumThreads(), "libtorch intra-op threads");
        assertEquals(1, JniUtils.getNumInteropThreads(), "libtorch inter-op threads");
    }
}
