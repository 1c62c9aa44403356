package io.andon.ui.alerts;

import io.andon.alertmanager.Acknowledgement;
import io.andon.ui.I18n;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How an acknowledgement or shelve reads everywhere it is shown: "ACK by X: note, 12 min ago". */
public final class AckText {
    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private AckText() {}

    public static String of(Acknowledgement k) {
        if (k == null) return "";
        if (k.kind() == Acknowledgement.Kind.SHELVE) {
            return "⏸ " + I18n.text("alerts.shelved", k.owner(), k.until() == null ? "?" : HM.format(k.until()), k.note());
        }
        return "✔ " + I18n.text("alerts.ack", k.owner(), k.note(), k.since() == null ? "?" : AlertsPage.age(k.since()));
    }
}
