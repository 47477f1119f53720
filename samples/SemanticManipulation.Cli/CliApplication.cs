using System.CommandLine;
using Microsoft.Extensions.Logging;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Imaging;
using SemanticManipulation.Runtime;

namespace SemanticManipulation.Cli;

/// <summary>Runs the command line, turning the SDK's input errors into one clear line and exit code 1.</summary>
internal static class CliApplication
{
    /// <summary>Shared <c>--verbose</c> option: debug-level logging.</summary>
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Log debug details (what was loaded, native runtime set-up).",
        Recursive = true,
    };

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
            EvaluateCommand.Create(),
        };
        root.Options.Add(Verbose);
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = CreateRootCommand();
        var parse = root.Parse(args);
        try
        {
            // Our handler below turns input errors into one line; System.CommandLine's default would print a stack trace.
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("cancelled; no output was written.").ConfigureAwait(false);
            return 130;
        }
    }

    /// <summary>Creates a logger factory writing to standard error, so standard output stays machine-readable.</summary>
    public static ILoggerFactory CreateLoggerFactory(ParseResult parse) =>
        LoggerFactory.Create(builder => builder
            .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(parse.GetValue(Verbose) ? LogLevel.Debug : LogLevel.Information));

    private static bool IsUserError(Exception ex) => ex is CheckpointFormatException or FileNotFoundException
        or DirectoryNotFoundException or UnsupportedImageException or ArgumentException or InvalidDataException
        or TorchRuntimeException or IOException;
}
