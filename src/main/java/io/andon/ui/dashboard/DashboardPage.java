package io.andon.ui.dashboard;

import io.andon.board.PageSnapshot;
import io.andon.board.TileSpec;
import io.andon.ui.I18n;
import io.andon.ui.Page;
import io.andon.ui.Theme;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.RowConstraints;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A page of tiles, laid out from its YAML in a grid that fills the screen. */
public final class DashboardPage implements Page {
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private final DashboardViewModel vm;
    private final BorderPane root = new BorderPane();
    private final Map<String, TileView> views = new LinkedHashMap<>();
    private final Label header = new Label();
    private final Label source = new Label();
    private final HBox top = new HBox(16);

    private final Theme theme;
    private final Consumer<TileSpec> onTileClick;
    private boolean built;

    /**
     * Only the view model (and so the refresh engine) starts here: the tiles are built on the first
     * {@link #view()}, so a console with five pages builds one page's TilesFX tiles before its first paint.
     */
    public DashboardPage(DashboardViewModel vm, Theme theme, Consumer<TileSpec> onTileClick) {
        this.vm = vm;
        this.theme = theme;
        this.onTileClick = onTileClick;
        root.getStyleClass().add("page");
        root.setId("page-" + vm.spec().id());
    }

    /** Builds the tiles now if they are not yet (FX thread); cheap when they are. */
    public void build() {
        if (built) return;
        built = true;
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(10);
        int cols = vm.spec().columnsOrDefault();
        int rows = (vm.spec().tiles().size() + cols - 1) / cols;
        for (int c = 0; c < cols; c++) {
            ColumnConstraints cc = new ColumnConstraints();
            cc.setPercentWidth(100.0 / cols);
            cc.setHgrow(Priority.ALWAYS);
            grid.getColumnConstraints().add(cc);
        }
        for (int r = 0; r < rows; r++) {
            RowConstraints rc = new RowConstraints();
            rc.setPercentHeight(100.0 / rows);
            rc.setVgrow(Priority.ALWAYS);
            grid.getRowConstraints().add(rc);
        }
        int i = 0;
        for (TileSpec t : vm.spec().tiles()) {
            TileView v = new TileView(t, theme);
            v.setMinSize(0, 0);
            // a filter, not a handler: TilesFX's sparkline skin consumes the click on its line, and the chart fills the tile
            v.addEventFilter(javafx.scene.input.MouseEvent.MOUSE_CLICKED, e -> {
                if (e.getButton() == javafx.scene.input.MouseButton.PRIMARY) onTileClick.accept(t);
            });
            var state = vm.tile(t.id());
            state.addListener((o, a, st) -> v.show(st));
            // a page kept live (wall) before it was first shown already has data: start from it
            if (state.get().status() != io.andon.board.TileState.Status.UNKNOWN) v.show(state.get());
            views.put(t.id(), v);
            grid.add(v, i % cols, i / cols);
            i++;
        }
        header.getStyleClass().add("muted");
        source.getStyleClass().add("source-down-label");
        top.getChildren().addAll(source, spacer(), header);
        top.setPadding(new Insets(0, 4, 8, 4));
        top.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        root.setTop(top);
        root.setCenter(grid);
        vm.lastSnapshotProperty().addListener((o, a, snap) -> showStatus(snap));
        if (vm.lastSnapshotProperty().get() != null) showStatus(vm.lastSnapshotProperty().get());
        // the header is written in the language of the moment: a switch rewrites it now, not at the next refresh
        I18n.follow(root, () -> { if (vm.lastSnapshotProperty().get() != null) showStatus(vm.lastSnapshotProperty().get()); });
    }

    /**
     * The row above the tiles: what stands on the left of the refresh status, after the page's own words when its
     * source is down. A page that has status of its own (the health page's source chips) puts it here rather than in
     * a row of its own: on the wall every row above the tiles is height their figures lose.
     */
    public HBox statusRow() { return top; }

    private static Region spacer() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }

    private void showStatus(PageSnapshot snap) {
        header.setText(I18n.text("status.lastUpdated", HMS.format(snap.finishedAt())) + " · "
                + I18n.text("status.refresh", snap.refreshTime().toMillis(), snap.slowestQuery().toMillis()));
        if (snap.sourceError() != null) {
            source.setText("⚠ " + io.andon.ui.Problems.text(snap.sourceErrorKind(), snap.sourceError()));
            source.setStyle("-fx-background-color: #8a8f98; -fx-text-fill: black; -fx-font-weight: bold; -fx-padding: 4 10 4 10; -fx-font-size: 16px;");
        } else {
            source.setText("");
            source.setStyle("");
        }
    }

    public TileView tileView(String id) {
        build();
        return views.get(id);
    }

    public DashboardViewModel viewModel() { return vm; }

    @Override public String id() { return vm.spec().id(); }

    @Override public String title() { return I18n.pick(vm.spec().title().en(), vm.spec().title().zhCN()); }

    @Override public Node view() {
        build();
        return root;
    }

    @Override public void onShow() { vm.resume(); }

    @Override public void startEarly() { vm.resume(); } // resuming twice is a no-op

    @Override public void onHide() { vm.pause(); }

    @Override public void leaving() { vm.pause(); }

    @Override public CompletableFuture<Void> refreshBeforeShow() { return vm.refreshBeforeShow(); }

    @Override public CompletableFuture<Void> firstData() { return vm.firstData(); }

    @Override public void dispose() { vm.close(); }
}
