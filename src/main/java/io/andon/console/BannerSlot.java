package io.andon.console;

import javafx.scene.Node;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The shell's one banner place. Each poster (the live critical/ack banner, the escalation banner, the flood view,
 * the wall's Esc hint) holds a {@link Post} of a fixed {@link Rank}; the highest post shows, and only its poster
 * withdraws it. Two owners of the place that took it from each other made the top bar flip at every poll before.
 */
public final class BannerSlot {
    /** Priority, lowest first: a flood summarises escalations, an escalation outranks a single critical. */
    public enum Rank { HINT, ALERT, ESCALATION, FLOOD }

    private final Consumer<Node> place;
    private final List<Post> posts = new ArrayList<>();
    private long order;
    private Node shown;

    /** @param place puts a node into the banner place, or empties it for null; called only when what shows changes */
    BannerSlot(Consumer<Node> place) {
        this.place = place;
    }

    /** A new poster at this rank; it shows nothing until it posts. */
    public Post poster(Rank rank) {
        Post p = new Post(Objects.requireNonNull(rank));
        posts.add(p);
        return p;
    }

    /** What the place shows now, or null. */
    public Node shown() { return shown; }

    /** One poster's claim on the slot. FX thread. */
    public final class Post {
        private final Rank rank;
        private Node node;
        private long seq;

        private Post(Rank rank) { this.rank = rank; }

        /**
         * Posts this node (replacing this poster's earlier one). Posting the node already posted changes nothing:
         * a 1 s poll re-posting its banner must not lay out the scene again.
         */
        public void post(Node n) {
            Objects.requireNonNull(n, "withdraw() removes a post");
            if (n == node) return;
            node = n;
            seq = ++order; // among equal ranks the newest post shows
            update();
        }

        /** Takes this poster's post away; what it covered shows again. */
        public void withdraw() {
            if (node == null) return;
            node = null;
            update();
        }

        public Rank rank() { return rank; }

        /** This poster's node is the one in the place. */
        public boolean showing() { return node != null && node == shown; }
    }

    private void update() {
        Node top = posts.stream().filter(p -> p.node != null)
                .max(Comparator.comparing((Post p) -> p.rank).thenComparingLong(p -> p.seq))
                .map(p -> p.node).orElse(null);
        if (top == shown) return;
        shown = top;
        place.accept(top);
    }
}
