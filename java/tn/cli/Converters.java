package tn.cli;

import picocli.CommandLine.ITypeConverter;
import tn.method.LastLayer;
import tn.method.LayerRange;
import tn.method.TransferType;
import tn.run.Shard;

/** Typed option values: picocli converts them, and a bad value is a usage error naming the option. */
final class Converters {
    private Converters() {
    }

    static final class TransferTypes implements ITypeConverter<TransferType> {
        @Override
        public TransferType convert(String value) {
            return TransferType.parse(value);
        }
    }

    static final class LayerRanges implements ITypeConverter<LayerRange> {
        @Override
        public LayerRange convert(String value) {
            return LayerRange.parse(value);
        }
    }

    static final class LastLayers implements ITypeConverter<LastLayer> {
        @Override
        public LastLayer convert(String value) {
            return LastLayer.parse(value);
        }
    }

    static final class Shards implements ITypeConverter<Shard> {
        @Override
        public Shard convert(String value) {
            return Shard.parse(value);
        }
    }
}
