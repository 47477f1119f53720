using SemanticManipulation.Cli;

// semantic-manipulation: the SDK's command-line front end. Verbs live under Commands/, wiring in CliApplication.
return await CliApplication.RunProcessAsync(args);
