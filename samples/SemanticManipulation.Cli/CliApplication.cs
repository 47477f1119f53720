using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Diagnostics;
using SemanticManipulation.Imaging;
using SemanticManipulation.Optimization;
using SemanticManipulation.Runtime;

namespace SemanticManipulation.Cli;

/// <summary>Runs the command line, turning the SDK's input errors into one clear line and exit code 1.</summary>
internal static class CliApplication
{
    private static readonly CancellationTokenSource s_processCancellation = new();
    private static PosixSignalRegistration[]? s_signals;

    /// <summary>Shared <c>--verbose</c> option: debug-level logging.</summary>
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Log debug details (what was loaded, native runtime set-up).",
        Recursive = true,
    };

    /// <summary>
    /// Shared <c>--threads</c> option: threads per tensor operation, for every verb. Left out, libtorch uses one per core,
    /// which measured fastest on the two-core machines the README's timings come from.
    /// </summary>
    public static readonly Option<int> Threads = new Option<int>("--threads")
    {
        Description = "Threads per tensor operation (default: one per core, the fastest measured).",
        Recursive = true,
    }.AtLeast(1);

    /// <summary>The command tree: one verb per file under Commands/.</summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("Semantic photo editing with a generative image prior (GANPaint-style).")
        {
            GenerateCommand.Create(),
            FitCommand.Create(),
            InvertCommand.Create(),
            EditCommand.Create(),
            TrainCommand.Create(),
            ConceptsCommand.Create(),
            DissectCommand.Create(),
            EvaluateCommand.Create(),
        };
        root.Options.Add(Verbose);
        root.Options.Add(Threads);
        return root;
    }

    /// <summary>Runs a command line as the process's entry point: Ctrl+C (SIGINT) and SIGTERM cancel the verb's token
    /// instead of killing the process, so that the verb stops between steps and leaves none of its outputs behind; a
    /// second Ctrl+C ends the process at once.</summary>
    /// <returns>0 on success, 1 for bad input (one <c>error:</c> line on standard error), 130 when cancelled.</returns>
    public static Task<int> RunProcessAsync(string[] args)
    {
        // Neither the source nor the registrations are disposed: they must outlive the verb, because a signal that
        // arrives after the outputs were committed (while the process shuts down) would otherwise kill the process
        // and turn a complete run's exit code into 130.
        static void Cancel(PosixSignalContext context)
        {
            context.Cancel = !s_processCancellation.IsCancellationRequested;
            s_processCancellation.Cancel();
        }

        s_signals ??= [PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel)];
        return RunAsync(args, s_processCancellation.Token);
    }

    /// <summary>Parses and runs a command line in this process, without signal handling (for hosts and tests).</summary>
    /// <returns>0 on success, 1 for bad input (one <c>error:</c> line on standard error).</returns>
    public static Task<int> RunAsync(string[] args) => RunAsync(args, CancellationToken.None);

    /// <summary>Parses and runs a command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="cancellationToken">Cancels the command as Ctrl+C does for <see cref="RunProcessAsync"/>.</param>
    /// <returns>0 on success, 1 for bad input (one <c>error:</c> line on standard error), 130 when cancelled.</returns>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var root = CreateRootCommand();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
        {
            // One line per problem, and no usage dump: the same shape as every other input error.
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {string.Join(' ', error.Message.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))}").ConfigureAwait(false);
            }

            return 1;
        }

        try
        {
            if (parse.GetResult(Threads) is { Implicit: false })
            {
                TorchRuntime.UseThreads(parse.GetValue(Threads));
            }

            // Our handler below turns input errors into one line; System.CommandLine's default would print a stack
            // trace, and its own signal handling would end the process rather than let the verb finish cleanly.
            var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("cancelled; no output was written.").ConfigureAwait(false);
            return 130;
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            await Console.Error.WriteLineAsync($"error: {OneLine(ex)}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>The message as one line: the first line only, without .NET's " (Parameter 'x')" suffix.</summary>
    internal static string OneLine(Exception ex)
    {
        var line = ex.Message.Split('\n', 2)[0].TrimEnd();
        return ex is ArgumentException { ParamName: { } name } && line.EndsWith($" (Parameter '{name}')", StringComparison.Ordinal)
            ? line[..^$" (Parameter '{name}')".Length]
            : line;
    }

    /// <summary>Creates a logger factory writing to standard error, so standard output stays machine-readable.</summary>
    public static ILoggerFactory CreateLoggerFactory(ParseResult parse) =>
        LoggerFactory.Create(builder => builder
            .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(parse.GetValue(Verbose) ? LogLevel.Debug : LogLevel.Information));

    // A diverged fit is the learning rate the user chose (its message says to lower it); the non-finite watch is a
    // debugging switch the user turned on, and its message names the tensor.
    private static bool IsUserError(Exception ex) => ex is CheckpointFormatException or FileNotFoundException
        or DirectoryNotFoundException or UnsupportedImageException or ArgumentException or InvalidDataException
        or TorchRuntimeException or IOException or UnauthorizedAccessException or FittingDivergedException or NonFiniteTensorException;
}
