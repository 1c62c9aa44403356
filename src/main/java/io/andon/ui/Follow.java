package io.andon.ui;

import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.beans.value.WeakChangeListener;
import javafx.scene.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Listening to a console-wide property (language, theme) for as long as a view lives, not as long as the JVM: the
 * property holds the listener weakly, the view strongly. A plain {@code addListener} on a static property kept every
 * page ever built alive (the wall's rebuilds, a profile switch, each console the test suite built: out of heap).
 */
public final class Follow {
    private static final Object KEY = new Object();

    private Follow() {}

    /**
     * Calls {@code action} with each new value of {@code property} while {@code owner} is reachable, or until the
     * returned handle is run (a disposed page that a test or a caller still holds must not react any more).
     */
    public static <T> Runnable whileAlive(Node owner, ObservableValue<T> property, Consumer<? super T> action) {
        // a view is touched on the FX thread only, whoever switched the language (a test, the settings code)
        ChangeListener<T> listener = (o, a, b) -> {
            if (javafx.application.Platform.isFxApplicationThread()) action.accept(b);
            else javafx.application.Platform.runLater(() -> action.accept(b));
        };
        @SuppressWarnings("unchecked")
        List<Object> held = (List<Object>) owner.getProperties().computeIfAbsent(KEY, k -> new ArrayList<>());
        held.add(listener);
        WeakChangeListener<T> weak = new WeakChangeListener<>(listener);
        property.addListener(weak);
        return () -> {
            property.removeListener(weak);
            held.remove(listener);
        };
    }
}
