package org.salistream.live.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** FFmpeg's failures as the one-line reasons ingest prints (the busy device is checked here: no V4L2 device on CI). */
class FfmpegSourceTest {

    @Test
    void aBusyDeviceSaysSo() {
        assertEquals(
                "Device or resource busy (another program is using the device)",
                FfmpegSource.reason(
                        new Exception(
                                "avformat_open_input() error -16: Could not open input \"/dev/video0\". (Has setFormat() been called?)")));
    }

    @Test
    void refusedAndTakenPortsSaySo() {
        assertEquals(
                "Connection refused",
                FfmpegSource.reason(new Exception(
                        "avformat_open_input() error -111: Could not open input \"tcp://10.0.0.5:9000\".")));
        assertEquals(
                "Address already in use (another program listens on that port)",
                FfmpegSource.reason(new Exception(
                        "avformat_open_input() error -98: Could not open input \"tcp://0.0.0.0:9000?listen=1\".")));
    }

    @Test
    void aMessageWithoutACodeLosesTheQuotedUrlWhichMayCarryCredentials() {
        assertEquals(
                "Could not open input",
                FfmpegSource.reason(new Exception("Could not open input \"rtsp://u:pw@cam/1\"")));
    }
}
