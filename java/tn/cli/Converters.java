package tn.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import tn.io.InvalidValueException;
import tn.method.LastLayer;
import tn.method.LayerRange;
import tn.method.TransferType;
import tn.model.FileType;
import tn.model.Vocabulary;
import tn.run.Shard;

import java.util.function.Function;

/**
 * Typed option values: picocli converts them with the domain's own parser, and a value it refuses
 * is a usage error that picocli prefixes with the option's name.
 */
final class Converters {
    private Converters() {}

    /** A converter by a parser that throws {@link InvalidValueException}. */
    abstract static class Parsed<T> implements ITypeConverter<T> {
        private final Function<String, T> parse;

        Parsed(Function<String, T> parse) {
            this.parse = parse;
        }

        @Override
        public T convert(String value) {
            try {
                return parse.apply(value);
            } catch (InvalidValueException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class TransferTypes extends Parsed<TransferType> {
        TransferTypes() {
            super(TransferType::parse);
        }
    }

    static final class LayerRanges extends Parsed<LayerRange> {
        LayerRanges() {
            super(LayerRange::parse);
        }
    }

    static final class LastLayers extends Parsed<LastLayer> {
        LastLayers() {
            super(LastLayer::parse);
        }
    }

    static final class Shards extends Parsed<Shard> {
        Shards() {
            super(Shard::parse);
        }
    }

    /** A language code tn knows, in lower case (jp: did you mean ja?). */
    static final class LanguageCodes extends Parsed<String> {
        LanguageCodes() {
            super(tn.data.LanguageCodes::check);
        }
    }

    static final class FileTypes extends Parsed<FileType> {
        FileTypes() {
            super(FileType::parse);
        }
    }

    static final class Vocabularies extends Parsed<Vocabulary> {
        Vocabularies() {
            super(Vocabulary::parse);
        }
    }
}
