package tn.cli;

import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.ITypeConverter;
import tn.io.ControlChars;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Paths on the command line, relative to a base folder: the working directory, or, when tn merge
 * replays a shard's command line, the folder that shard ran in. A path with a control character
 * (a newline, an escape) is refused: no real file needs one, and it would break the lines of a
 * batch script or a log it is written into.
 */
final class PathConverter implements ITypeConverter<Path> {
    private final Path base;

    PathConverter(Path base) {
        this.base = base;
    }

    @Override
    public Path convert(String value) {
        int control = ControlChars.find(value);
        if (control >= 0) {
            // a newline in a path written into a batch script would run what follows it as a command
            throw new TypeConversionException("'" + ControlChars.escape(value) + "' is not a valid path: it holds a "
                    + "control character (" + ControlChars.escape(value.substring(control, control + 1)) + ")");
        }
        try {
            Path p = Path.of(value);
            return base == null || p.isAbsolute() ? p : base.resolve(p);
        } catch (InvalidPathException e) {
            throw new TypeConversionException("'" + value + "' is not a valid path: " + e.getReason());
        }
    }
}
