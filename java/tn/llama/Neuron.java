package tn.llama;

/** MLP neuron {@code index} of layer {@code layer}, both 0-based. */
public record Neuron(int layer, int index) implements Comparable<Neuron> {
    public Neuron {
        if (layer < 0 || index < 0) {
            throw new IllegalArgumentException("negative layer or neuron index: (" + layer + ", " + index + ")");
        }
    }

    @Override
    public int compareTo(Neuron o) {
        return layer != o.layer ? Integer.compare(layer, o.layer) : Integer.compare(index, o.index);
    }

    @Override
    public String toString() {
        return "(" + layer + ", " + index + ")";
    }
}
