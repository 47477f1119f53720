using SemanticManipulation.Cli;

namespace SemanticManipulation.Tests.Cli;

/// <summary>Runs the CLI in-process with its standard output and error captured (tests that use it belong to the
/// <see cref="ConsoleRedirectingTests"/> collection, since the console is process-wide).</summary>
internal static class CapturedCli
{
    public static async Task<(int Exit, string Output, string Error)> Run(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var (previousOut, previousError) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var exit = await CliApplication.RunAsync(args);
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
        }
    }
}
