package org.salistream.pipeline.testing;

import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Everything this JVM logs at INFO and above while open, from every logger (ours, Flink's, Kafka's), as
 * text: for tests that scan the logs for what must never be there (raw procedure ids). Levels are
 * restored on close.
 */
public final class CapturedLogs implements AutoCloseable {

    private final LoggerContext context;
    private final StringWriter text = new StringWriter();
    private final WriterAppender appender;
    private final Map<String, Level> levels = new HashMap<>();

    private CapturedLogs() {
        context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        appender = WriterAppender.newBuilder()
                .setName("captured-logs")
                .setTarget(text)
                .setLayout(PatternLayout.newBuilder()
                        .withPattern("%-5level %c - %msg%n%throwable")
                        .build())
                .build();
        appender.start();
        config.addAppender(appender);
        for (LoggerConfig logger : config.getLoggers().values()) {
            levels.put(logger.getName(), logger.getLevel());
            logger.setLevel(Level.INFO);
            logger.addAppender(appender, Level.INFO, null);
        }
        LoggerConfig root = config.getRootLogger();
        if (!config.getLoggers().containsValue(root)) {
            levels.put(root.getName(), root.getLevel());
            root.setLevel(Level.INFO);
            root.addAppender(appender, Level.INFO, null);
        }
        context.updateLoggers();
    }

    /** Starts capturing. */
    public static CapturedLogs atInfo() {
        return new CapturedLogs();
    }

    /** What was logged so far. */
    public synchronized String text() {
        return text.toString();
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        for (LoggerConfig logger : config.getLoggers().values()) {
            logger.removeAppender(appender.getName());
            Level old = levels.get(logger.getName());
            if (old != null) {
                logger.setLevel(old);
            }
        }
        config.getRootLogger().removeAppender(appender.getName());
        Level rootLevel = levels.get(config.getRootLogger().getName());
        if (rootLevel != null) {
            config.getRootLogger().setLevel(rootLevel);
        }
        context.updateLoggers();
        appender.stop();
    }
}
