package io.andon.ui;

import io.andon.logs.LogException;
import io.andon.net.SourceException;

/**
 * A source problem as the person at the console reads it. The clients word their problems in English (the
 * technical detail an SRE searches for: host:port, HTTP status, the server's own error); in Chinese the
 * kind of problem comes first in Chinese, followed by that detail, so a supervisor knows what happened
 * without reading English.
 */
public final class Problems {
    private Problems() {}

    public static String text(Throwable e) {
        if (e == null) return "";
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return switch (e) {
            case SourceException se -> text(se.kind(), msg);
            case LogException le -> text(le.kind(), msg);
            default -> e.getCause() instanceof SourceException || e.getCause() instanceof LogException ? text(e.getCause()) : msg;
        };
    }

    /** {@code message} as the client worded it, with the localised kind in front when the UI is not English. */
    public static String text(Enum<?> kind, String message) {
        if (message == null) message = "";
        if (kind == null || !I18n.isChinese()) return message;
        return I18n.text("problem." + kind.name()) + "：" + message;
    }
}
