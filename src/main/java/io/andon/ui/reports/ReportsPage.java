package io.andon.ui.reports;

import io.andon.report.PdfReportWriter;
import io.andon.report.Shift;
import io.andon.report.ShiftReports;
import io.andon.report.ShiftSchedule;
import io.andon.ui.I18n;
import io.andon.ui.Page;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.concurrent.CompletableFuture;
import java.util.List;
import java.util.function.Function;

/**
 * Reports: pick a day, a shift and a plant, preview page one of the handover report, save it as PDF (print it from
 * the PDF viewer). The report is made off the FX thread by io.andon.report; this page only shows and saves bytes.
 */
public final class ReportsPage implements Page {
    private final ShiftReports reports;
    private final Function<String, ShiftSchedule.Plan> plans;
    private final BorderPane root = new BorderPane();
    private final DatePicker day = new DatePicker();
    private final ComboBox<String> shift = new ComboBox<>();
    private final TextField plant = new TextField();
    private final TextArea note = new TextArea();
    private final Button preview = new Button(), save = new Button();
    private final Label status = new Label();
    private final ImageView page1 = new ImageView();
    private final Runnable onDispose;

    /** {@code onDispose} closes the report's sources (its log client) with the page. */
    public ReportsPage(ShiftReports reports, Runnable onDispose) {
        this.reports = reports;
        this.onDispose = onDispose;
        this.plans = p -> reports.schedule().plan(p == null || p.isBlank() ? null : p.strip());
        Shift now = reports.schedule().lastEnded(null, java.time.Instant.now());
        day.setValue(now.start().toLocalDate());
        day.setId("reports-day");
        shift.setId("reports-shift");
        plant.setId("reports-plant");
        note.setId("reports-note");
        preview.setId("reports-preview");
        save.setId("reports-save");
        status.setId("reports-status");
        fillShifts();
        shift.setValue(now.start().toLocalTime().toString());
        plant.textProperty().addListener((o, a, b) -> fillShifts());
        plant.setPrefColumnCount(8);
        note.setPrefRowCount(3);
        note.setWrapText(true);
        preview.textProperty().bind(I18n.bind("reports.preview"));
        save.textProperty().bind(I18n.bind("reports.save"));
        preview.setOnAction(e -> make(false));
        save.setOnAction(e -> make(true));
        Label dl = new Label(), sl = new Label(), pl = new Label(), nl = new Label();
        dl.textProperty().bind(I18n.bind("reports.shiftDay"));
        sl.textProperty().bind(I18n.bind("reports.shift"));
        pl.textProperty().bind(I18n.bind("reports.plant"));
        nl.textProperty().bind(I18n.bind("reports.note"));
        HBox bar = new HBox(8, dl, day, sl, shift, pl, plant, preview, save);
        bar.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        // labels and buttons keep their text; the status line has its own row and wraps
        for (javafx.scene.control.Control c : List.of(dl, sl, pl, nl, preview, save, shift)) c.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        shift.setPrefWidth(110);
        day.setPrefWidth(150);
        status.setWrapText(true);
        VBox top = new VBox(6, bar, status, nl, note);
        top.setPadding(new Insets(10));
        root.setTop(top);
        page1.setPreserveRatio(true);
        page1.setFitWidth(900);
        ScrollPane sp = new ScrollPane(page1);
        sp.setFitToWidth(true);
        root.setCenter(sp);
    }

    private void fillShifts() {
        String keep = shift.getValue();
        shift.getItems().setAll(plans.apply(plant.getText()).starts().stream().map(s -> s.at().toString()).toList());
        if (keep != null && shift.getItems().contains(keep)) shift.setValue(keep);
        else if (!shift.getItems().isEmpty()) shift.setValue(shift.getItems().getFirst());
    }

    /** Generates on a virtual thread; preview shows page one, save asks where and writes the PDF. */
    private void make(boolean thenSave) {
        Shift s;
        try {
            String p = plant.getText() == null || plant.getText().isBlank() ? null : plant.getText().strip();
            s = reports.schedule().startingAt(p, LocalDateTime.of(day.getValue() == null ? LocalDate.now() : day.getValue(),
                    java.time.LocalTime.parse(shift.getValue())));
        } catch (RuntimeException e) {
            status.setText(I18n.text("reports.failed", e.getMessage()));
            return;
        }
        Path target = null;
        if (thenSave) {
            FileChooser fc = new FileChooser();
            fc.setInitialFileName(s.fileId() + ".pdf");
            fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("PDF", "*.pdf"));
            var f = fc.showSaveDialog(root.getScene() == null ? null : root.getScene().getWindow());
            if (f == null) return;
            target = f.toPath();
        }
        generate(s, target);
    }

    /** Makes the report of {@code s} (written to {@code target} when given); completes with the PDF bytes. */
    public CompletableFuture<byte[]> generate(Shift s, Path target) {
        status.setText(I18n.text("reports.working"));
        preview.setDisable(true);
        save.setDisable(true);
        String text = note.getText();
        java.util.Locale locale = I18n.locale();
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        Thread.ofVirtual().name("andon-report").start(() -> {
            try {
                ShiftReports.Made m = reports.make(s, locale, text, System.getProperty("user.name"));
                byte[] pdf = m.pdf();
                if (target != null) Files.write(target, pdf);
                BufferedImage img = PdfReportWriter.render(pdf, 0, 96);
                WritableImage fx = toFx(img);
                Platform.runLater(() -> {
                    page1.setImage(fx);
                    String failed = m.failures().isEmpty() ? null : String.join("; ", m.failures());
                    status.setText(failed != null ? I18n.text("reports.incomplete", failed)
                            : target != null ? I18n.text("reports.saved", target) : "");
                    preview.setDisable(false);
                    save.setDisable(false);
                });
                done.complete(pdf);
            } catch (Exception e) {
                Platform.runLater(() -> {
                    status.setText(I18n.text("reports.failed", e.getMessage()));
                    preview.setDisable(false);
                    save.setDisable(false);
                });
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** AWT pixels to a JavaFX image without javafx.swing. */
    static WritableImage toFx(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        WritableImage out = new WritableImage(w, h);
        out.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        return out;
    }

    public ImageView preview() { return page1; }

    public Label status() { return status; }

    @Override
    public String id() { return "reports"; }

    @Override
    public String title() { return I18n.text("page.reports"); }

    @Override
    public Node view() { return root; }

    @Override
    public void dispose() { onDispose.run(); }
}
