package io.andon.ui.alerts;

import io.andon.alertmanager.Alert;
import io.andon.journal.ElasticsearchJournal;
import io.andon.journal.Journal;
import io.andon.journal.JournalEntry;
import io.andon.journal.JournalException;
import io.andon.ui.I18n;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The selected alert's journal (who acknowledged, shelved, noted, escalated it, when, from which console), read
 * off the FX thread. A journal that cannot be read says why instead of looking empty; entries still queued for
 * delivery are shown too (the journal merges them), and the delivery problem, if any, is said under the list.
 */
public final class JournalView extends VBox {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    private final Journal journal;
    private final ListView<JournalEntry> list = new ListView<>();
    private final Label message = new Label();
    private final Label delivery = new Label();
    private Alert alert;
    private long generation;
    /** One read at a time: a trigger while one is out only asks for one more afterwards (no request storm). */
    private boolean inFlight, again, disposed;
    private long reads;

    /** A view that reloads only when asked (selection, ⟳, language). */
    public JournalView(Journal journal) {
        this(journal, null);
    }

    /**
     * @param polls each change (the alerts view model's poll: {@code snapshotProperty()}) re-reads the shown alert's
     *              journal while this view is on screen, so an entry written by another console, or this console's
     *              own once delivered, appears without selecting the alert again. Null: no following.
     */
    public JournalView(Journal journal, ObservableValue<?> polls) {
        super(6);
        this.journal = journal;
        setId("alert-journal");
        Label title = new Label();
        title.textProperty().bind(I18n.bind("journal.title"));
        title.getStyleClass().add("section-title");
        Button reload = new Button("⟳");
        reload.setId("journal-reload");
        reload.setFocusTraversable(false);
        reload.setOnAction(e -> reload());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox head = new HBox(8, title, gap, reload);
        head.setAlignment(Pos.CENTER_LEFT);
        list.setId("journal-list");
        list.setPrefHeight(180);
        list.setMinHeight(120);
        setMinHeight(200);
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(JournalEntry e, boolean empty) {
                super.updateItem(e, empty);
                setText(empty || e == null ? null : line(e));
                setWrapText(true);
            }
        });
        message.setId("journal-message");
        message.setWrapText(true);
        delivery.setId("journal-delivery");
        delivery.setWrapText(true);
        delivery.setStyle("-fx-text-fill: #f0a30a;");
        getChildren().addAll(head, message, list, delivery);
        VBox.setVgrow(list, Priority.ALWAYS);
        message.setText(I18n.text("journal.select"));
        // texts and the action names follow the language
        I18n.follow(this, () -> {
            list.refresh();
            reload();
        });
        if (journal instanceof ElasticsearchJournal ej) {
            Runnable off = ej.onStatus(s -> Platform.runLater(() -> showDelivery(s)));
            stopStatus = off;
            showDelivery(ej.status());
        }
        if (polls != null) {
            // the view model belongs to this console's page, not to the JVM: a plain listener, removed on dispose
            ChangeListener<Object> follow = (o, a, b) -> followPoll();
            polls.addListener(follow);
            Runnable off = stopStatus;
            stopStatus = () -> {
                off.run();
                polls.removeListener(follow);
            };
        }
    }

    /** The journal outlives the console's pages (one per context): a disposed view stops listening to it and reading. */
    private Runnable stopStatus = () -> {};

    public void dispose() {
        disposed = true;
        stopStatus.run();
    }

    /** A poll came in: re-read quietly (no "loading", the list keeps its place) when something is shown and on screen. */
    private void followPoll() {
        if (disposed || alert == null || !onScreen()) return;
        read(false);
    }

    /** In a showing window and visible up to the root (a hidden page is out of the scene, another tab invisible). */
    boolean onScreen() {
        var scene = getScene();
        if (scene == null || scene.getWindow() == null || !scene.getWindow().isShowing()) return false;
        for (javafx.scene.Node n = this; n != null; n = n.getParent()) if (!n.isVisible()) return false;
        return true;
    }

    /** Journal reads this view started (the test sees it follow, and stop once disposed). */
    public long reads() { return reads; }

    private void showDelivery(ElasticsearchJournal.Status s) {
        delivery.setText(s.ok() ? (s.queued() > 0 ? I18n.text("journal.queued", s.queued()) : "") : "⚠ " + s.problem());
    }

    /** One line: time, action, who@console, note (and the end of a shelve). */
    public static String line(JournalEntry e) {
        StringBuilder b = new StringBuilder(TIME.format(e.at())).append("  ").append(I18n.text("journal.action." + e.action().name()));
        if (e.user() != null) b.append("  ").append(e.user()).append(e.console() == null ? "" : "@" + e.console());
        if (e.note() != null && !e.note().isBlank()) b.append(" — ").append(e.note());
        if (e.until() != null) b.append("  (").append(I18n.text("journal.until", TIME.format(e.until()))).append(')');
        return b.toString();
    }

    /** Shows this alert's journal (null: nothing selected). */
    public void show(Alert a) {
        this.alert = a;
        reload();
    }

    public void reload() {
        if (disposed) return;
        if (alert == null) {
            ++generation;
            list.getItems().clear();
            message.setText(I18n.text("journal.select"));
            return;
        }
        read(true);
    }

    /** Starts a read of the shown alert's journal, or asks for one after the read that is out. FX thread. */
    private void read(boolean loud) {
        if (loud) {
            ++generation; // a read that is out for another alert no longer lands
            message.setText(I18n.text("journal.loading"));
        }
        if (inFlight) {
            again = true;
            return;
        }
        inFlight = true;
        reads++;
        long gen = generation;
        Alert a = alert;
        Thread.ofVirtual().start(() -> {
            List<JournalEntry> entries = null;
            String error = null;
            try {
                entries = journal.forAlert(a.fingerprint());
            } catch (JournalException e) {
                error = e.getMessage();
            } catch (RuntimeException e) {
                // said, and the next poll may read again (a read that never lands would stop the following)
                error = String.valueOf(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
            List<JournalEntry> got = entries;
            String err = error;
            Platform.runLater(() -> {
                inFlight = false;
                if (disposed) return;
                if (gen == generation) { // else another alert was selected meanwhile: its read follows
                    if (err != null) {
                        message.setText("✖ " + I18n.text("journal.unreadable", err));
                    } else {
                        // unchanged: left alone, so the operator's scroll position and selection stay
                        if (!list.getItems().equals(got)) list.getItems().setAll(got);
                        message.setText(got.isEmpty() ? I18n.text("journal.empty") : I18n.text("journal.count", got.size()));
                    }
                }
                if (again) {
                    again = false;
                    if (alert != null) read(false);
                }
            });
        });
    }

    public ListView<JournalEntry> list() { return list; }
}
