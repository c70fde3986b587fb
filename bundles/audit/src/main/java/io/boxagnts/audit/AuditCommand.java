package io.boxagnts.audit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code boxagnts audit verify [FILE|DIR]}: checks the audit log's hash chain outside the runtime (bin/boxagnts runs
 * this class with the distribution's bundles on the class path; it needs only Gson). Exit code 0 when the chain
 * holds, 1 when it is broken (naming the first broken record), 2 for a wrong command line.
 */
public final class AuditCommand {

    static final String USAGE = """
            Usage: boxagnts audit verify [FILE|DIR]

            Checks the audit log: every record's hash, and that each follows the one before it. FILE is one
            audit-*.jsonl file, DIR a folder of them (default: ~/.boxagnts/audit, the default data directory's).
            Exits 0 when the log is intact, 1 when it is not (naming the first broken record), 2 on a wrong command.
            """;

    private AuditCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, Path.of(System.getProperty("user.home")), System.out, System.err));
    }

    static int run(String[] args, Path userHome, PrintStream out, PrintStream err) {
        if (args.length == 0 || args.length > 2 || !args[0].equals("verify")) {
            (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h")) ? out : err).print(USAGE);
            return args.length > 0 && (args[0].equals("--help") || args[0].equals("-h")) ? 0 : 2;
        }
        Path path = args.length == 2 ? Path.of(args[1]).toAbsolutePath() : userHome.resolve(".boxagnts/audit");
        if (!Files.exists(path)) {
            err.println("boxagnts: " + path + " does not exist; name an audit-*.jsonl file or the data directory's "
                    + "audit/ folder");
            return 2;
        }
        try {
            AuditVerifier.Result result = AuditVerifier.verify(path);
            if (result.intact()) {
                out.println("intact: " + result.records() + " records in " + result.files() + " file(s)"
                        + (result.firstSeq() > 1 ? ", starting at record " + result.firstSeq()
                                + " (older files were deleted by retention)" : ""));
                return 0;
            }
            out.println("BROKEN at " + result.broken().get() + " (" + result.records()
                    + " records before it are intact)");
            return 1;
        } catch (IOException e) {
            err.println("boxagnts: cannot read " + path + ": " + e.getMessage());
            return 2;
        }
    }
}
