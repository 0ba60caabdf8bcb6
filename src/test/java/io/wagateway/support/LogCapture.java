package io.wagateway.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Filter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * The application's log output as its console shows it, from {@link #start()} on. In the test's JVM
 * (@QuarkusTest) every record passes through the console handler's own filter and formatter; against the
 * packaged jar (@QuarkusIntegrationTest) it is the jar's captured output, {@code target/quarkus.log}.
 */
public final class LogCapture implements AutoCloseable {

    private final Handler handler;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Path file = Path.of(System.getProperty("quarkus.log.file.path", "target/quarkus.log"));
    private final long fileOffset;

    private LogCapture(boolean inProcess) throws IOException {
        fileOffset = !inProcess && Files.exists(file) ? Files.size(file) : 0;
        if (!inProcess) {
            handler = null;
            return;
        }
        org.jboss.logmanager.Logger root = LogContext.getLogContext().getLogger("");
        ConsoleHandler console = find(root.getHandlers());
        if (console == null) {
            throw new IllegalStateException("No console handler found on the root logger");
        }
        Filter filter = console.getFilter();
        Formatter formatter = console.getFormatter();
        handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (filter == null || filter.isLoggable(record)) {
                    lines.add(formatter.format(record));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        root.addHandler(handler);
    }

    /** Starts capturing; close it when done. */
    public static LogCapture start() {
        try {
            return new LogCapture(io.quarkus.arc.Arc.container() != null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Everything logged since {@link #start()}, formatted as the console prints it. */
    public String text() {
        if (handler != null) {
            return String.join("", lines);
        }
        try {
            byte[] all = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
            int from = (int) Math.min(fileOffset, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (handler != null) {
            LogContext.getLogContext().getLogger("").removeHandler(handler);
        }
    }

    private static ConsoleHandler find(Handler[] handlers) {
        for (Handler h : handlers) {
            if (h instanceof ConsoleHandler console) {
                return console;
            }
            if (h instanceof ExtHandler ext) {
                ConsoleHandler found = find(ext.getHandlers());
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
