package io.andon.ui.alerts;

import io.andon.alertmanager.Alert;
import io.andon.alertmanager.AlertSnapshot;
import io.andon.alertmanager.Silence;
import io.andon.ui.I18n;
import io.andon.ui.Page;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Firing alerts grouped like karma (default by alertname and plant; any label), severity first, with a
 * silence form that never blocks the screen, the silences list, and a clear banner when Alertmanager is down.
 */
public final class AlertsPage implements Page {
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    private final AlertsViewModel vm;
    private final BorderPane root = new BorderPane();
    private final TreeTableView<Object> table = new TreeTableView<>();
    private final Label sourceDown = new Label();
    private final TextField matchers = new TextField();
    private final ComboBox<String> duration = new ComboBox<>(FXCollections.observableArrayList("1h", "2h", "4h", "8h", "24h", "7d"));
    private final TextField author = new TextField(System.getProperty("user.name", ""));
    private final TextArea comment = new TextArea();
    private final Label silenceResult = new Label();

    private io.andon.ui.detail.DetailPage.LogsLink logsLink;
    private VBox side;
    private JournalView journalView;

    /** Shows the selected alert's operator journal in the side panel, re-read at each poll while the page is showing. */
    public void setJournal(io.andon.journal.Journal journal) {
        if (journalView != null) {
            side.getChildren().remove(journalView);
            journalView.dispose();
        }
        journalView = journal == null ? null : new JournalView(journal, vm.snapshotProperty());
        if (journalView != null) side.getChildren().add(journalView);
    }

    public java.util.Optional<JournalView> journalView() { return java.util.Optional.ofNullable(journalView); }

    /** Pivot to the logs page: the alert's window (15 min before it started until now) and its service. */
    public void setLogsLink(io.andon.ui.detail.DetailPage.LogsLink link) {
        this.logsLink = link;
    }

    public AlertsPage(AlertsViewModel vm) {
        this.vm = vm;
        root.getStyleClass().add("page");
        root.setId("page-alerts");

        TextField filter = new TextField();
        filter.setId("alert-filter");
        filter.setPromptText("severity=\"critical\" plant=P01 alertname=~\"Database.*\"  text");
        filter.textProperty().bindBidirectional(vm.filterTextProperty());
        HBox.setHgrow(filter, Priority.ALWAYS);
        ComboBox<String> groupBy = new ComboBox<>(FXCollections.observableArrayList(
                "alertname, plant", "alertname", "plant", "severity", "team", "instance", "slo"));
        groupBy.setValue("alertname, plant");
        groupBy.setOnAction(e -> vm.groupByProperty().set(List.of(groupBy.getValue().split(",\\s*"))));
        Label groupLabel = new Label();
        groupLabel.textProperty().bind(I18n.bind("alerts.groupBy"));
        Label filterError = new Label();
        filterError.textProperty().bind(vm.filterErrorProperty());
        filterError.setStyle("-fx-text-fill: #e5393b;");
        // no room kept for a message that is not there (it left an empty band above the table)
        filterError.managedProperty().bind(filterError.textProperty().isNotEmpty());
        filterError.visibleProperty().bind(filterError.managedProperty());
        Button logs = new Button();
        logs.setId("alerts-open-logs");
        logs.textProperty().bind(I18n.bind("alerts.openLogs"));
        logs.setOnAction(e -> {
            var item = table.getSelectionModel().getSelectedItem();
            if (logsLink != null && item != null && item.getValue() instanceof Alert a) {
                Instant start = a.startsAt() == null ? Instant.now().minus(Duration.ofHours(1)) : a.startsAt().minus(Duration.ofMinutes(15));
                logsLink.open(start, Instant.now(), a.labels().getOrDefault("service", null));
            }
        });
        HBox bar = new HBox(10, filter, groupLabel, groupBy, logs);
        bar.setAlignment(Pos.CENTER_LEFT);
        sourceDown.setId("alerts-source-down");
        sourceDown.setMaxWidth(Double.MAX_VALUE);
        sourceDown.setVisible(false);
        sourceDown.setManaged(false);
        sourceDown.setStyle("-fx-background-color: #8a8f98; -fx-text-fill: black; -fx-font-size: 18px; -fx-font-weight: bold; -fx-padding: 8 12 8 12;");
        VBox top = new VBox(8, bar, filterError, sourceDown);
        top.setPadding(new Insets(0, 0, 8, 0));
        root.setTop(top);

        buildTable();
        SplitPane split = new SplitPane(table, sidePanel());
        split.setDividerPositions(0.68);
        if (vm.hasHistory()) {
            javafx.scene.control.Tab firing = new javafx.scene.control.Tab();
            firing.textProperty().bind(I18n.bind("alerts.firing"));
            firing.setContent(split);
            javafx.scene.control.Tab hist = new javafx.scene.control.Tab();
            hist.textProperty().bind(I18n.bind("alerts.history"));
            hist.setContent(new HistoryView(vm::loadHistory));
            javafx.scene.control.TabPane tabs = new javafx.scene.control.TabPane(firing, hist);
            tabs.setTabClosingPolicy(javafx.scene.control.TabPane.TabClosingPolicy.UNAVAILABLE);
            root.setCenter(tabs);
        } else {
            root.setCenter(split);
        }

        vm.groups().addListener((javafx.collections.ListChangeListener<AlertsViewModel.Group>) c -> refill());
        // unchanged alerts are not rebuilt on each poll; while the page is on screen their ages still move on
        vm.snapshotProperty().addListener((o, a, b) -> { if (table.getScene() != null) table.refresh(); });
        vm.snapshotProperty().addListener((o, a, s) -> showSource(s));
        // Follow refills on the FX thread whoever switched (off it the table's focus model saw its children change)
        stopFollowing = I18n.follow(root, this::refill);
    }

    private void buildTable() {
        table.setId("alerts-table");
        table.setShowRoot(false);
        table.setPlaceholder(placeholder("alerts.noneFiring"));
        table.setRoot(new TreeItem<>("root"));
        table.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TreeTableColumn<Object, String> sev = col("alerts.severity", o -> o instanceof Alert a ? a.severity() : "", 130);
        sev.setCellFactory(c -> new TreeTableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(null);
                setGraphic(null);
                if (empty || s == null || s.isEmpty()) return;
                Label chip = new Label(severityText(s));
                chip.getStyleClass().addAll("chip", switch (s) {
                    case "critical" -> "chip-crit";
                    case "warning" -> "chip-warn";
                    default -> "chip-info";
                });
                setGraphic(chip);
            }
        });
        TreeTableColumn<Object, String> name = col("alerts.alert", o -> o instanceof AlertsViewModel.Group g ? g.key() + "  (" + g.alerts().size() + ")"
                : ((Alert) o).name(), 300);
        TreeTableColumn<Object, String> summary = col("alerts.summary", o -> o instanceof Alert a ? a.annotation("summary", I18n.isChinese()) : "", 420);
        TreeTableColumn<Object, String> state = col("alerts.state", o -> o instanceof Alert a ? stateText(a, vm.acksProperty().get().get(a.fingerprint())) : "", 120);
        TreeTableColumn<Object, String> ack = col("alerts.ackColumn", this::ackText, 320);
        ack.setMinWidth(220);
        ack.setId("alerts-ack-column");
        TreeTableColumn<Object, String> since = col("alerts.since", o -> o instanceof Alert a && a.startsAt() != null
                ? HMS.format(a.startsAt()) + "  (" + age(a.startsAt()) + ")" : "", 210);
        TreeTableColumn<Object, String> labels = col("alerts.labels", o -> o instanceof Alert a ? labelsText(a) : "", 400);
        sev.setMinWidth(130);
        name.setMinWidth(280);
        state.setMinWidth(120);
        since.setMinWidth(200);
        table.getColumns().setAll(List.of(sev, name, state, ack, summary, since, labels));
        table.getSelectionModel().selectedItemProperty().addListener((o, a, item) -> {
            if (item != null && item.getValue() instanceof Alert al) prefill(al);
            // a refresh that rebuilds the table clears the selection: the journal keeps the last alert shown
            if (journalView != null && item != null && item.getValue() instanceof Alert al) journalView.show(al);
        });
    }

    private String ackText(Object o) {
        var acks = vm.acksProperty().get();
        if (o instanceof Alert a) return AckText.of(acks.get(a.fingerprint()));
        if (o instanceof AlertsViewModel.Group g) {
            long n = g.alerts().stream().filter(a -> acks.containsKey(a.fingerprint())
                    && acks.get(a.fingerprint()).kind() == io.andon.alertmanager.Acknowledgement.Kind.ACK).count();
            return n == 0 ? "" : (g.alerts().size() == 1 ? AckText.of(acks.get(g.alerts().getFirst().fingerprint()))
                    : "✔ " + I18n.text("alerts.groupAcked", n, g.alerts().size()));
        }
        return "";
    }

    /** The selected alert, or every alert of the selected group. */
    private List<Alert> selectedAlerts() {
        var item = table.getSelectionModel().getSelectedItem();
        if (item == null) return List.of();
        if (item.getValue() instanceof Alert a) return List.of(a);
        if (item.getValue() instanceof AlertsViewModel.Group g) return g.alerts();
        return List.of();
    }

    private Node ackPanel() {
        Label title = new Label();
        title.textProperty().bind(I18n.bind("alerts.ackForm"));
        title.getStyleClass().add("section-title");
        title.setWrapText(true);
        TextField owner = new TextField(System.getProperty("user.name", ""));
        owner.setId("ack-owner");
        TextField note = new TextField();
        note.setId("ack-note");
        note.promptTextProperty().bind(I18n.bind("alerts.notePrompt"));
        ComboBox<String> shelveFor = new ComboBox<>(FXCollections.observableArrayList("30m", "1h", "2h", "4h", "8h", "24h"));
        shelveFor.setValue("1h");
        shelveFor.setId("ack-shelve-for");
        Label result = new Label();
        result.setId("ack-result");
        result.setWrapText(true);
        java.util.function.Consumer<AlertsViewModel.ActionResult> show = r -> {
            result.setText((r.ok() ? "✔ " : "✖ ") + r.message());
            if (r.ok()) note.clear(); // on failure the note stays: nothing typed is lost
        };
        java.util.function.Function<String, Button> button = key -> {
            Button b = new Button();
            b.textProperty().bind(I18n.bind(key));
            return b;
        };
        Button ackB = button.apply("alerts.doAck"), unackB = button.apply("alerts.doUnack"), shelveB = button.apply("alerts.doShelve"),
                unshelveB = button.apply("alerts.doUnshelve"), noteB = button.apply("alerts.doNote");
        ackB.setId("ack-do");
        ackB.getStyleClass().add("primary");
        unackB.setId("ack-undo");
        shelveB.setId("ack-shelve");
        unshelveB.setId("ack-unshelve");
        noteB.setId("ack-note-add");
        Runnable needSelection = () -> result.setText("✖ " + I18n.text("alerts.selectFirst"));
        ackB.setOnAction(e -> {
            List<Alert> sel = selectedAlerts();
            if (sel.isEmpty()) { needSelection.run(); return; }
            result.setText("…");
            vm.acknowledge(sel, owner.getText(), note.getText(), show);
        });
        note.setOnAction(e -> ackB.fire()); // Enter in the note acknowledges
        unackB.setOnAction(e -> {
            List<Alert> sel = selectedAlerts();
            if (sel.isEmpty()) { needSelection.run(); return; }
            result.setText("…");
            vm.unacknowledge(sel, owner.getText(), show);
        });
        shelveB.setOnAction(e -> {
            List<Alert> sel = selectedAlerts();
            if (sel.isEmpty()) { needSelection.run(); return; }
            result.setText("…");
            vm.shelve(sel, owner.getText(), note.getText(), io.andon.util.Durations.parse(shelveFor.getValue()), show);
        });
        unshelveB.setOnAction(e -> {
            List<Alert> sel = selectedAlerts();
            if (sel.isEmpty()) { needSelection.run(); return; }
            result.setText("…");
            vm.unshelve(sel, owner.getText(), show);
        });
        noteB.setOnAction(e -> {
            List<Alert> sel = selectedAlerts();
            if (sel.size() != 1) { needSelection.run(); return; }
            result.setText("…");
            vm.note(sel.getFirst(), owner.getText(), note.getText(), show);
        });
        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        form.addRow(0, label("alerts.owner"), owner);
        form.addRow(1, label("alerts.note"), note);
        form.addRow(2, label("alerts.shelveFor"), shelveFor);
        GridPane.setHgrow(note, Priority.ALWAYS);
        javafx.scene.layout.FlowPane buttons = new javafx.scene.layout.FlowPane(6, 6, ackB, unackB, shelveB, unshelveB, noteB);
        return new VBox(6, title, form, buttons, result);
    }

    private TreeTableColumn<Object, String> col(String key, java.util.function.Function<Object, String> f, double width) {
        TreeTableColumn<Object, String> c = new TreeTableColumn<>();
        c.textProperty().bind(I18n.bind(key));
        c.setPrefWidth(width);
        c.setCellValueFactory(p -> new ReadOnlyStringWrapper(f.apply(p.getValue().getValue())));
        return c;
    }

    private Node sidePanel() {
        Label title = new Label();
        title.textProperty().bind(I18n.bind("alerts.newSilence"));
        title.getStyleClass().add("section-title");
        matchers.setId("silence-matchers");
        duration.setValue("2h");
        comment.setId("silence-comment");
        comment.setPrefRowCount(3);
        comment.setWrapText(true);
        Button create = new Button();
        create.setId("silence-create");
        create.textProperty().bind(I18n.bind("alerts.createSilence"));
        create.getStyleClass().add("primary");
        create.setOnAction(e -> createSilence());
        silenceResult.setId("silence-result");
        silenceResult.setWrapText(true);
        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        form.addRow(0, label("alerts.matchers"), matchers);
        form.addRow(1, label("alerts.duration"), duration);
        form.addRow(2, label("alerts.author"), author);
        form.addRow(3, label("alerts.comment"), comment);
        GridPane.setHgrow(matchers, Priority.ALWAYS);

        Label silTitle = new Label();
        silTitle.textProperty().bind(I18n.bind("alerts.silences"));
        silTitle.getStyleClass().add("section-title");
        TableView<Silence> silences = new TableView<>(vm.silences());
        silences.setPlaceholder(placeholder("alerts.noSilences"));
        silences.setId("silences-table");
        TableColumn<Silence, String> sm = new TableColumn<>();
        sm.textProperty().bind(I18n.bind("alerts.matchers"));
        sm.setCellValueFactory(p -> new ReadOnlyStringWrapper(String.join(" ", p.getValue().matchers().stream().map(Object::toString).toList())));
        sm.setPrefWidth(260);
        TableColumn<Silence, String> until = new TableColumn<>();
        until.textProperty().bind(I18n.bind("alerts.until"));
        until.setCellValueFactory(p -> new ReadOnlyStringWrapper(p.getValue().state() + " · " + (p.getValue().endsAt() == null ? "" : HMS.format(p.getValue().endsAt()))));
        until.setPrefWidth(170);
        TableColumn<Silence, String> by = new TableColumn<>();
        by.textProperty().bind(I18n.bind("alerts.author"));
        by.setCellValueFactory(p -> new ReadOnlyStringWrapper(p.getValue().createdBy() + ": " + p.getValue().comment()));
        TableColumn<Silence, String> expire = new TableColumn<>();
        expire.setCellValueFactory(p -> new ReadOnlyStringWrapper(p.getValue().id()));
        expire.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String id, boolean empty) {
                super.updateItem(id, empty);
                if (empty || id == null) {
                    setGraphic(null);
                    return;
                }
                Button b = new Button(I18n.text("alerts.expire"));
                b.setOnAction(e -> vm.expireSilence(id, err -> silenceResult.setText(err == null ? "✔ " + I18n.text("alerts.expired") : "✖ " + err)));
                setGraphic(b);
            }
        });
        silences.getColumns().setAll(List.of(sm, until, by, expire));
        side = new VBox(10, title, form, create, silenceResult, silTitle, silences);
        if (vm.canAcknowledge()) side.getChildren().addAll(0, List.of(ackPanel(), new javafx.scene.control.Separator()));
        VBox.setVgrow(silences, Priority.ALWAYS);
        side.setPadding(new Insets(0, 0, 0, 10));
        return side;
    }

    private static Label label(String key) {
        Label l = new Label();
        l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        l.textProperty().bind(I18n.bind(key));
        return l;
    }

    private void prefill(Alert a) {
        List<String> parts = new ArrayList<>();
        for (String k : List.of("alertname", "plant", "instance", "slo", "class")) {
            String v = a.labels().get(k);
            if (v != null) parts.add(Silence.Matcher.equal(k, v).toString());
        }
        matchers.setText(String.join(" ", parts));
    }

    private void createSilence() {
        List<Silence.Matcher> ms;
        try {
            var f = io.andon.alertmanager.AlertFilter.parse(matchers.getText());
            if (f.matchers().isEmpty() || !f.text().isEmpty()) throw new IllegalArgumentException(I18n.text("alerts.matchersHint"));
            ms = f.matchers();
        } catch (IllegalArgumentException e) {
            silenceResult.setText("✖ " + io.andon.ui.Problems.text(e));
            return;
        }
        Duration d = io.andon.util.Durations.parse(duration.getValue());
        silenceResult.setText("…");
        vm.createSilence(ms, d, author.getText(), comment.getText(),
                err -> silenceResult.setText(err == null ? "✔ " + I18n.text("alerts.silenced") : "✖ " + err));
    }

    private void refill() {
        TreeItem<Object> rootItem = table.getRoot();
        rootItem.getChildren().clear();
        for (AlertsViewModel.Group g : vm.groups()) {
            TreeItem<Object> gi = new TreeItem<>(g);
            gi.setExpanded(true);
            for (Alert a : g.alerts()) gi.getChildren().add(new TreeItem<>(a));
            rootItem.getChildren().add(gi);
        }
    }

    private void showSource(AlertSnapshot s) {
        boolean down = s.stale() || !s.memberErrors().isEmpty();
        sourceDown.setVisible(down);
        sourceDown.setManaged(down);
        if (s.stale()) {
            sourceDown.setText("⚠ " + I18n.text("alerts.sourceDown", s.lastGood() == null ? I18n.text("alerts.never") : age(s.lastGood()))
                    + "  —  " + String.join("; ", s.memberErrors()));
        } else if (!s.memberErrors().isEmpty()) {
            sourceDown.setText("⚠ " + String.join("; ", s.memberErrors()));
        }
    }

    static String severityText(String s) {
        return switch (s) {
            case "critical" -> "✖ " + I18n.text("state.crit");
            case "warning" -> "▲ " + I18n.text("state.warn");
            // the SLO generator's slow-burn severity and Alertmanager's common "info"; a site's own stays as written
            case "ticket" -> "● " + I18n.text("alerts.severityTicket");
            case "info" -> "● " + I18n.text("alerts.severityInfo");
            default -> "● " + s;
        };
    }

    static String stateText(Alert a, io.andon.alertmanager.Acknowledgement k) {
        if (k != null && k.kind() == io.andon.alertmanager.Acknowledgement.Kind.ACK) return "✔ " + I18n.text("alerts.stateAcked");
        if (k != null) return "⏸ " + I18n.text("alerts.stateShelved");
        if (a.silenced()) return "🔕 " + I18n.text("alerts.stateSilenced");
        if (a.inhibited()) return "⤵ " + I18n.text("alerts.stateInhibited");
        return "● " + I18n.text("alerts.stateActive");
    }

    static String labelsText(Alert a) {
        StringBuilder sb = new StringBuilder();
        a.labels().forEach((k, v) -> {
            if (!k.equals("alertname") && !k.equals("severity")) sb.append(k).append('=').append(v).append("  ");
        });
        return sb.toString().trim();
    }

    static String age(Instant t) {
        long s = Math.max(0, Duration.between(t, Instant.now()).toSeconds());
        if (s < 60) return s + " s";
        if (s < 3600) return s / 60 + " min";
        if (s < 86400) return s / 3600 + " h " + (s % 3600) / 60 + " min";
        return s / 86400 + " d " + (s % 86400) / 3600 + " h";
    }

    @Override public String id() { return "alerts"; }

    @Override public String title() { return I18n.text("page.alerts"); }

    @Override public Node view() { return root; }

    public AlertsViewModel viewModel() { return vm; }

    @Override public CompletableFuture<Void> firstData() { return vm.firstData(); }


    private Runnable stopFollowing = () -> {};

    @Override public void dispose() {
        stopFollowing.run();
        if (journalView != null) journalView.dispose();
        vm.close();
    }

    /** An empty table says so in the console's language (JavaFX's own "No content in table" follows the JVM's locale). */
    private static Label placeholder(String key) {
        Label l = new Label();
        l.textProperty().bind(I18n.bind(key));
        l.getStyleClass().add("muted");
        return l;
    }
}
