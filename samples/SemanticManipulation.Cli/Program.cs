using System.CommandLine;
using SemanticManipulation.Cli;

// semantic-manipulation: the SDK's command-line front end. Each verb lives in its own file under Commands/.
var root = new RootCommand("Semantic photo editing with a generative image prior (GANPaint-style).")
{
    GenerateCommand.Create(),
};
return await CliApplication.RunAsync(root, args);
