package io.andon.console;

import io.andon.ui.FxShots;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shell's one banner place: the highest-ranked post shows, each poster withdraws only its own, and a poll that
 * re-posts a covered banner moves nothing in the scene (the live banner and the escalation banner used to take the
 * place from each other at every poll).
 */
@ExtendWith(ApplicationExtension.class)
class BannerSlotTest {
    private Stage stage;
    private StackPane root;
    private Shell shell;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        root = FxShots.darkRoot(stage, 1000, 300);
    }

    @AfterEach
    void dispose(FxRobot robot) {
        robot.interact(() -> {
            if (shell != null) shell.dispose();
        });
    }

    private static Label banner(String id) {
        Label l = new Label(id);
        l.setId(id);
        return l;
    }

    /** What the shell's top shows under the navigation bar: the banner, or null. */
    private Node inPlace() {
        List<Node> kids = ((VBox) shell.getTop()).getChildren();
        return kids.size() > 1 ? kids.get(1) : null;
    }

    @Test
    void theHighestPostShowsAndOnlyItsPosterTakesItAway(FxRobot robot) {
        robot.interact(() -> {
            shell = new Shell(List.of());
            root.getChildren().setAll(shell);
            BannerSlot slot = shell.banners();
            var hint = slot.poster(BannerSlot.Rank.HINT);
            var alert = slot.poster(BannerSlot.Rank.ALERT);
            var escalation = slot.poster(BannerSlot.Rank.ESCALATION);
            var flood = slot.poster(BannerSlot.Rank.FLOOD);
            Label h = banner("hint"), a = banner("critical"), e = banner("escalation"), f = banner("flood");
            int[] changes = {0};
            ((VBox) shell.getTop()).getChildren().addListener((ListChangeListener<Node>) c -> changes[0]++);

            assertThat(inPlace()).isNull();
            alert.post(a);
            assertThat(inPlace()).isSameAs(a);
            assertThat(alert.showing()).isTrue();

            // the escalation covers the critical; both stay posted at once
            escalation.post(e);
            assertThat(inPlace()).isSameAs(e);
            assertThat(a.getParent()).isNull();
            assertThat(alert.showing()).isFalse();

            // the live banner re-posts at every 1 s poll: the escalation keeps the place, the scene does not move
            int before = changes[0];
            for (int i = 0; i < 5; i++) alert.post(a);
            assertThat(changes[0]).isEqualTo(before);
            assertThat(inPlace()).isSameAs(e);

            // the lowest rank waits under everything; withdrawing it leaves the others alone
            hint.post(h);
            assertThat(inPlace()).isSameAs(e);
            hint.withdraw();
            assertThat(inPlace()).isSameAs(e);

            // a flood over the escalation; each end uncovers what is still posted, in rank order
            flood.post(f);
            assertThat(inPlace()).isSameAs(f);
            flood.withdraw();
            assertThat(inPlace()).isSameAs(e);
            escalation.withdraw();
            assertThat(inPlace()).isSameAs(a);

            // a withdrawal of nothing posted changes nothing
            before = changes[0];
            escalation.withdraw();
            flood.withdraw();
            assertThat(changes[0]).isEqualTo(before);
            assertThat(inPlace()).isSameAs(a);

            // a poster's new node replaces its own earlier one
            Label a2 = banner("critical-2");
            alert.post(a2);
            assertThat(inPlace()).isSameAs(a2);

            hint.post(h);
            alert.withdraw();
            assertThat(inPlace()).isSameAs(h);
            hint.withdraw();
            assertThat(inPlace()).isNull();
            assertThat(slot.shown()).isNull();
        });
    }

    /** The wall's "Esc again to leave" never hides an alert banner, and leaving the wall takes away only the hint. */
    @Test
    void theWallsEscHintIsRankedBelowAlertsAndLeavingRemovesOnlyIt(FxRobot robot) {
        BannerSlot.Post[] alert = new BannerSlot.Post[1];
        Label a = banner("critical");
        WallMode[] wall = new WallMode[1];
        robot.interact(() -> {
            shell = new Shell(List.of());
            root.getChildren().setAll(shell);
            wall[0] = new WallMode(stage, shell, List.of("none"), Duration.ofMinutes(10));
            wall[0].enter(0);
            esc();
        });
        robot.interact(() -> {
            assertThat(inPlace()).as("nothing else posted: the hint shows").isNotNull();
            assertThat(inPlace().getStyleClass()).contains("wall-hint");
            alert[0] = shell.banners().poster(BannerSlot.Rank.ALERT);
            alert[0].post(a);
            assertThat(inPlace()).as("a critical arriving covers the hint").isSameAs(a);
            wall[0].leave();
            assertThat(inPlace()).as("leaving the wall keeps the critical").isSameAs(a);
            alert[0].withdraw();
            assertThat(inPlace()).as("the hint went with the wall").isNull();
        });
        robot.interact(() -> {
            alert[0].post(a);
            wall[0].enter(0);
            esc();
            assertThat(inPlace()).as("the hint does not hide the critical").isSameAs(a);
            alert[0].withdraw();
            assertThat(inPlace().getStyleClass()).as("the hint under it").contains("wall-hint");
            esc(); // the second Esc leaves
            assertThat(wall[0].active()).isFalse();
            assertThat(inPlace()).isNull();
        });
    }

    private void esc() {
        stage.getScene().getOnKeyPressed().handle(new KeyEvent(KeyEvent.KEY_PRESSED, "", "", KeyCode.ESCAPE, false, false, false, false));
    }
}
