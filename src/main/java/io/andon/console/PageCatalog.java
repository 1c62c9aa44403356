package io.andon.console;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.TileBuilder;
import io.andon.ui.Page;
import javafx.scene.Node;
import javafx.scene.layout.FlowPane;

import java.util.List;

/** Builds the console's pages from the dashboards and the other sources of the context. */
final class PageCatalog {
    private PageCatalog() {}

    static List<Page> create(ConsoleContext ctx) {
        FlowPane pane = new FlowPane(10, 10);
        Tile t = TileBuilder.create().skinType(Tile.SkinType.NUMBER).prefSize(400, 300)
                .title("可用性 Availability 30 d").unit("%").decimals(3).value(99.953).build();
        Tile g = TileBuilder.create().skinType(Tile.SkinType.GAUGE).prefSize(400, 300)
                .title("P99 query").unit("ms").minValue(0).maxValue(1000).value(180).build();
        pane.getChildren().addAll(t, g);
        return List.of(new Page() {
            public String id() { return "system"; }
            public String title() { return "System"; }
            public Node view() { return pane; }
        });
    }
}
