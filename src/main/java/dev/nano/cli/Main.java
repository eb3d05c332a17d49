package dev.nano.cli;

import java.util.concurrent.Callable;

import dev.nano.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code nano} command line: {@code nano run FILE}, {@code nano version}, {@code nano help}. */
@Command(name = "nano",
        description = "NANO: a dense, multi-tenant JavaScript server runtime (Cloudflare Workers API).",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        subcommands = {RunCommand.class, ServeCommand.class, Main.VersionCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        LogFormat.install();
        int code = new CommandLine(new Main()).execute(args);
        System.out.flush();
        System.exit(code);
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    @Command(name = "version", description = "Print NANO's version.")
    static final class VersionCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println("nano " + Version.get() + " (Java " + Runtime.version() + ")");
            return 0;
        }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"nano " + Version.get()};
        }
    }
}
