using SemanticManipulation.Studio;

// The studio: paint semantic edits on a photo in the browser. Endpoints in Api/, tensor work in Sessions/ and Worker/.
var app = StudioApp.Build(args);
var address = await StudioApp.StartAsync(app);
Console.WriteLine($"SemanticManipulation Studio: open {address} in a browser (Ctrl+C stops it).");
await app.WaitForShutdownAsync();
