package tn.analysis;

import tn.io.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.io.InputException;
import tn.llama.Neuron;
import tn.method.LayerRange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NeuronSetTest {
    @TempDir
    Path dir;

    Path ranking(String... rows) throws IOException {
        Path f = dir.resolve("ranking.tsv");
        Files.writeString(f, "rank\tlayer\tneuron\tscore\n" + String.join("\n", rows) + "\n");
        return f;
    }

    @Test
    void theTopNOfARankingInRankOrder() throws IOException {
        Path f = ranking("1\t2\t5\t0.9", "2\t0\t7\t0.8", "3\t1\t1\t0.7");
        assertEquals(List.of(new Neuron(2, 5), new Neuron(0, 7)), NeuronSet.top(f, 2).neurons());
        assertThrows(InvalidValueException.class, () -> NeuronSet.top(f, 4));
        InputException e = assertThrows(InputException.class, () -> NeuronSet.Choice.top(f, 3).resolve(2, 100));
        assertTrue(e.getMessage().contains("(2, 5) does not exist"), e.getMessage());
        Files.writeString(f, "rank\tlayer\tneuron\tscore\n1\tx\t5\t0.9\n");
        e = assertThrows(InputException.class, () -> NeuronSet.top(f, 1));
        assertTrue(e.getMessage().startsWith(f + ":2:"), e.getMessage());
    }

    @Test
    void theBaselineIsTheRightSizeInRangeDisjointFromTheTransferNeuronsAndSeeded() {
        LayerRange layers = new LayerRange(2, 5);
        Set<Neuron> tns = new HashSet<>();
        for (int i = 0; i < 40; i++) tns.add(new Neuron(2 + i % 3, i));
        NeuronSet a = NeuronSet.baseline(100, layers, 64, tns, 42);
        assertEquals(100, a.neurons().size());
        assertEquals(100, new HashSet<>(a.neurons()).size(), "drawn twice");
        for (Neuron n : a.neurons()) {
            assertTrue(layers.contains(n.layer()) && n.index() < 64, n + " out of range");
            assertTrue(!tns.contains(n), n + " is a transfer neuron");
        }
        assertEquals(a.neurons(), NeuronSet.baseline(100, layers, 64, tns, 42).neurons());
        assertNotEquals(a.neurons(), NeuronSet.baseline(100, layers, 64, tns, 43).neurons());
        // every neuron that is not a transfer neuron: the whole pool
        assertEquals(3 * 64 - 40, NeuronSet.baseline(3 * 64 - 40, layers, 64, tns, 1).neurons().size());
        assertThrows(InvalidValueException.class, () -> NeuronSet.baseline(3 * 64 - 39, layers, 64, tns, 1));
    }

    @Test
    void aBaselineMirroringARankingUsesItsLayersAndExcludesItsTop() throws IOException {
        Path f = ranking("1\t1\t5\t0.9", "2\t3\t7\t0.8", "3\t2\t1\t0.7");
        assertEquals(new LayerRange(1, 4), NeuronSet.layersOf(f, 6));
        NeuronSet b = NeuronSet.Choice.baselineOf(f, 2, 20, 5).resolve(6, 10);
        assertEquals(20, b.neurons().size());
        for (Neuron n : b.neurons()) {
            assertTrue(n.layer() >= 1 && n.layer() < 4, n.toString());
            assertTrue(!n.equals(new Neuron(1, 5)) && !n.equals(new Neuron(3, 7)), n.toString());
        }
    }
}
