package tn.cli;

import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.ITypeConverter;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Paths on the command line, relative to a base folder: the working directory, or, when tn merge
 * replays a shard's command line, the folder that shard ran in.
 */
final class PathConverter implements ITypeConverter<Path> {
    private final Path base;

    PathConverter(Path base) {
        this.base = base;
    }

    @Override
    public Path convert(String value) {
        try {
            Path p = Path.of(value);
            return base == null || p.isAbsolute() ? p : base.resolve(p);
        } catch (InvalidPathException e) {
            throw new TypeConversionException("'" + value + "' is not a valid path: " + e.getReason());
        }
    }
}
