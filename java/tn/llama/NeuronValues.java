package tn.llama;

import java.util.Map;

/** A deactivation's neurons and values as the parallel arrays the native calls take. */
final class NeuronValues {
    final int[] layers;
    final int[] neurons;
    final float[] values;

    NeuronValues(Deactivation d, ModelInfo info) {
        int n = d.values().size();
        layers = new int[n];
        neurons = new int[n];
        values = new float[n];
        int j = 0;
        for (Map.Entry<Neuron, Float> e : d.values().entrySet()) {
            Neuron neuron = e.getKey();
            if (neuron.layer() >= info.nLayer() || neuron.index() >= info.nFf()) {
                throw new IllegalArgumentException("neuron " + neuron + " is outside the model's " + info.nLayer()
                        + " layers x " + info.nFf() + " neurons");
            }
            layers[j] = neuron.layer();
            neurons[j] = neuron.index();
            values[j++] = e.getValue();
        }
    }

    int size() {
        return layers.length;
    }
}
