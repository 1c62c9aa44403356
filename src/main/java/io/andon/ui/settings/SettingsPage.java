package io.andon.ui.settings;

import io.andon.board.SourceProbe;
import io.andon.net.Endpoint;
import io.andon.settings.Profile;
import io.andon.settings.ProfileStore;
import io.andon.settings.SecretStore;
import io.andon.ui.I18n;
import io.andon.ui.Page;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Connection profile: Prometheus, one or more Alertmanagers, Elasticsearch — URL, user, password or token,
 * site CA — each with a "test connection" button. Passwords go to the secret store, never to the profile file.
 */
public final class SettingsPage implements Page {
    private final ProfileStore profiles;
    private final SecretStore secrets;
    private final Consumer<Profile> apply;
    private final VBox root = new VBox(12);
    private final TextField name = new TextField("default");
    private final Row prometheus = new Row("prometheus", fixed("Prometheus"), SourceProbe::prometheus);
    private final Row am1 = new Row("alertmanager0", fixed("Alertmanager 1"), e -> SourceProbe.alertmanager("Alertmanager 1", e));
    private final Row am2 = new Row("alertmanager1", fixed("Alertmanager 2"), e -> SourceProbe.alertmanager("Alertmanager 2", e));
    private final Row es = new Row("elasticsearch", fixed("Elasticsearch"), SourceProbe::elasticsearch);
    // the trace backend's kind decides its probe: Zipkin's health, Jaeger's service list, Tempo's readiness
    private final javafx.scene.control.ComboBox<String> traceKind = new javafx.scene.control.ComboBox<>(
            javafx.collections.FXCollections.observableArrayList(Profile.Traces.KINDS));
    private final Row traces = new Row(Profile.TRACES_SECRET, I18n.bind("settings.traces"), e -> switch (traceKind.getValue()) {
        case "jaeger" -> new SourceProbe.Check("Jaeger", e, "api/services");
        case "tempo" -> new SourceProbe.Check("Tempo", e, "ready");
        default -> SourceProbe.zipkin(e);
    });
    private final Label status = new Label();
    private final TextField transferFile = new TextField(Path.of(System.getProperty("user.home"), "andon-profiles.json").toString());

    /** One source's fields and its test button. */
    private final class Row {
        final String key;
        final TextField url = new TextField(), user = new TextField(), ca = new TextField();
        final PasswordField secret = new PasswordField();
        final Label result = new Label();
        final java.util.function.Function<Endpoint, SourceProbe.Check> check;
        /** The row's name: a product's name, or a word that follows the language. */
        final javafx.beans.value.ObservableStringValue label;
        /** A secret is stored for this source: the prompt says so (and that typing replaces it). */
        final javafx.beans.property.BooleanProperty stored = new javafx.beans.property.SimpleBooleanProperty();

        Row(String key, javafx.beans.value.ObservableStringValue label, java.util.function.Function<Endpoint, SourceProbe.Check> check) {
            this.key = key;
            this.label = label;
            this.check = check;
            url.setId("settings-" + key + "-url");
            url.setPromptText("https://host:port");
            user.promptTextProperty().bind(I18n.bind("settings.userHint"));
            secret.promptTextProperty().bind(javafx.beans.binding.Bindings.when(stored)
                    .then(I18n.bind("settings.secretStored")).otherwise(I18n.bind("settings.secretHint")));
            ca.promptTextProperty().bind(I18n.bind("settings.caHint"));
            url.setPrefColumnCount(26);
        }

        Profile.Source source() {
            return new Profile.Source(url.getText().strip(), user.getText().strip(), ca.getText().strip());
        }

        void fill(Profile.Source s, String profile) {
            url.setText(s == null || s.url() == null ? "" : s.url());
            user.setText(s == null || s.user() == null ? "" : s.user());
            ca.setText(s == null || s.caFile() == null ? "" : s.caFile());
            secret.clear();
            stored.set(secrets.get(profile, key).isPresent());
        }

        /** One endpoint per URL in the field (Elasticsearch may list several nodes), same user, secret and CA. */
        List<Endpoint> endpoints() {
            char[] s = secret.getText().isEmpty() ? secrets.get(name.getText().strip(), key).orElse(new char[0]) : secret.getText().toCharArray();
            try {
                List<String> urls = new Profile.Source(url.getText(), null, null).nodes();
                if (urls.isEmpty()) urls = List.of("");
                List<Endpoint> out = new java.util.ArrayList<>();
                for (String u : urls) {
                    Endpoint e = Endpoint.of(u).withAuth(Endpoint.Auth.of(user.getText(), s));
                    if (!ca.getText().isBlank()) e = e.withCa(Path.of(ca.getText().strip()));
                    out.add(e);
                }
                return out;
            } finally {
                Arrays.fill(s, '\0');
            }
        }

        void test() {
            result.setText("…");
            List<Endpoint> eps;
            try {
                eps = endpoints();
            } catch (IllegalArgumentException ex) {
                result.setText("✖ " + io.andon.ui.Problems.text(ex));
                return;
            }
            Thread.ofVirtual().start(() -> {
                var rs = new SourceProbe(eps.stream().map(check).toList()).probe();
                boolean ok = rs.stream().allMatch(SourceProbe.Result::ok);
                // one node: as before; several: each with its host, so the one that is down is named
                String text = rs.size() == 1 ? (ok ? "✔ " : "✖ ") + rs.getFirst().latency().toMillis() + " ms  " + rs.getFirst().detail()
                        : String.join("   ", java.util.stream.IntStream.range(0, rs.size()).mapToObj(i -> (rs.get(i).ok() ? "✔ " : "✖ ")
                                + eps.get(i).url().getHost() + ":" + eps.get(i).url().getPort() + " " + rs.get(i).latency().toMillis() + " ms  " + rs.get(i).detail()).toList());
                Platform.runLater(() -> {
                    result.setText(text);
                    result.setStyle(ok ? "-fx-text-fill: #2ecc71;" : "-fx-text-fill: #ff6b6b;");
                });
            });
        }
    }

    public SettingsPage(ProfileStore profiles, SecretStore secrets, Profile current, Consumer<Profile> apply) {
        this.profiles = profiles;
        this.secrets = secrets;
        this.apply = apply;
        root.setId("page-settings");
        root.getStyleClass().add("page");
        root.setPadding(new Insets(16));
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(8);
        g.addRow(0, label("settings.profile"), name);
        g.addRow(1, new Label(""), label("settings.url"), label("settings.user"), label("settings.secret"), label("settings.ca"));
        int r = 2;
        traceKind.setValue("zipkin");
        traceKind.setId("settings-traces-kind");
        for (Row row : List.of(prometheus, am1, am2, es, traces)) {
            Button test = new Button();
            test.textProperty().bind(I18n.bind("settings.test"));
            test.setId("settings-" + row.key + "-test");
            test.setOnAction(e -> row.test());
            Label name = new Label();
            name.textProperty().bind(row.label);
            name.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            test.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            g.addRow(r++, name, row.url, row.user, row.secret, row.ca, test, row.result);
        }
        g.add(traceKind, 1, r);
        Button save = new Button();
        save.textProperty().bind(I18n.bind("settings.saveApply"));
        save.setId("settings-save");
        save.getStyleClass().add("primary");
        save.setOnAction(e -> save());
        Button export = new Button(), importB = new Button();
        export.textProperty().bind(I18n.bind("settings.export"));
        importB.textProperty().bind(I18n.bind("settings.import"));
        export.setOnAction(e -> {
            profiles.exportTo(Path.of(transferFile.getText().strip()));
            status.setText("✔ " + I18n.text("settings.exported", transferFile.getText().strip()));
        });
        importB.setOnAction(e -> {
            try {
                int n = profiles.importFrom(Path.of(transferFile.getText().strip()));
                status.setText("✔ " + I18n.text("settings.imported", n));
            } catch (IllegalArgumentException ex) {
                status.setText("✖ " + io.andon.ui.Problems.text(ex));
            }
        });
        transferFile.setPrefColumnCount(40);
        Label where = new Label();
        where.textProperty().bind(secrets.file().map(f -> I18n.bind("settings.secretsInFile", f)).orElseGet(() -> I18n.bind("settings.secretsInKeyring")));
        where.getStyleClass().add("muted");
        status.setId("settings-status");
        root.getChildren().addAll(heading(), g, new HBox(10, save, status), new HBox(8, label("settings.transfer"), transferFile, export, importB), where);
        if (current != null) fill(current);
    }

    private Label heading() {
        Label l = new Label();
        l.textProperty().bind(I18n.bind("settings.title"));
        l.getStyleClass().add("page-title");
        return l;
    }

    private static javafx.beans.value.ObservableStringValue fixed(String name) {
        return new javafx.beans.property.ReadOnlyStringWrapper(name);
    }

    private static Label label(String key) {
        Label l = new Label();
        l.textProperty().bind(I18n.bind(key));
        l.getStyleClass().add("muted");
        return l;
    }

    private void fill(Profile p) {
        name.setText(p.name());
        prometheus.fill(p.prometheus(), p.name());
        am1.fill(p.alertmanagers().size() > 0 ? p.alertmanagers().get(0) : null, p.name());
        am2.fill(p.alertmanagers().size() > 1 ? p.alertmanagers().get(1) : null, p.name());
        es.fill(p.elasticsearch(), p.name());
        var t = p.tracesIfSet();
        traces.fill(t.map(Profile.Traces::source).orElse(null), p.name());
        traceKind.setValue(t.map(Profile.Traces::kind).orElse("zipkin"));
    }

    private void save() {
        String n = name.getText().strip();
        if (n.isEmpty() || !prometheus.source().hasUrl()) {
            status.setText("✖ " + I18n.text("settings.needsPrometheus"));
            return;
        }
        List<Profile.Source> ams = new ArrayList<>();
        for (Row r : List.of(am1, am2)) if (r.source().hasUrl()) ams.add(r.source());
        Profile.Source ts = traces.source();
        Profile p = new Profile(n, prometheus.source(), ams, es.source().hasUrl() ? es.source() : null,
                ts.hasUrl() ? new Profile.Traces(traceKind.getValue(), ts.url(), ts.user(), ts.caFile()) : null);
        try {
            profiles.save(p);
        } catch (IllegalArgumentException bad) {
            // a URL the console could not use (or an unreadable profiles file): say which, keep the form as typed
            status.setText("✖ " + bad.getMessage());
            return;
        }
        for (Row r : List.of(prometheus, am1, am2, es, traces)) {
            if (!r.secret.getText().isEmpty()) {
                char[] s = r.secret.getText().toCharArray();
                secrets.put(n, r.key, s);
                Arrays.fill(s, '\0');
                r.secret.clear();
            }
        }
        status.setText("✔ " + I18n.text("settings.saved", n));
        apply.accept(p);
    }

    @Override public String id() { return "settings"; }

    @Override public String title() { return I18n.text("page.settings"); }

    @Override public Node view() { return root; }
}
