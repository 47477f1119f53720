using System.CommandLine;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using SemanticManipulation.Editing;

namespace SemanticManipulation.Cli;

/// <summary>
/// <c>concepts [--model PATH] [--catalog FILE] [--concept NAME] [--top N] [--export FILE]</c>: lists the concepts a
/// model can paint and the units each uses. The catalog is this SDK's JSON or the authors' dissection JSON; without
/// <c>--catalog</c> it is the model's: a bundle's own (the embedded default model's unless <c>--model</c> names
/// another), or the one next to a bare checkpoint (<c>NAME.concepts.json</c> or <c>concepts.json</c>).
/// </summary>
internal static class ConceptsCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var catalog = new Option<FileInfo?>("--catalog", "-c")
        {
            Description = "Concept catalog: this SDK's JSON or the authors' dissection JSON (e.g. ganpaint_church_layer4_units.json).",
        };
        var concept = new Option<string?>("--concept") { Description = "Show only this concept." };
        var top = new Option<int>("--top", "-n") { Description = "Units listed per concept.", DefaultValueFactory = _ => 10 }.AtLeast(1);
        var export = new Option<FileInfo?>("--export") { Description = "Also write the catalog in this SDK's JSON schema." };

        var command = new Command("concepts", "List the concepts a model can paint, with their top units.")
        {
            model, catalog, concept, top, export,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            using var outputs = new OutputSet();
            var exportPath = parse.GetValue(export) is FileInfo exportFile ? outputs.Data("--export", exportFile) : null;
            using var loggerFactory = CliApplication.CreateLoggerFactory(parse);
            var logger = loggerFactory.CreateLogger("concepts");
            var modelFile = parse.GetValue(model)!;
            var modelGiven = parse.GetResult(model) is { Implicit: false };
            var loaded = LoadCatalog(parse.GetValue(catalog), modelFile, modelGiven, loggerFactory);

            // The listing is made (an unknown --concept refused) and the export written before anything is printed.
            var listing = Describe(loaded, parse.GetValue(concept), parse.GetValue(top));
            if (exportPath is not null)
            {
                outputs.Write(exportPath, loaded.Save);
            }

            outputs.Commit(cancellationToken);
            Console.Out.Write(listing);
            if (exportPath is not null)
            {
                logger.LogInformation("Wrote {Path}", exportPath);
            }

            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>
    /// The catalog to list: <paramref name="catalogFile"/> (checked against the model only when one was named), else
    /// the model's own: a bundle's catalog, or the one beside a bare checkpoint, checked against its generator.
    /// </summary>
    private static ConceptCatalog LoadCatalog(FileInfo? catalogFile, FileInfo modelFile, bool modelGiven, ILoggerFactory loggerFactory)
    {
        var catalogLogger = loggerFactory.CreateLogger<ConceptCatalog>();
        if (catalogFile is not null)
        {
            var given = ConceptCatalog.Load(catalogFile.FullName, logger: catalogLogger);
            if (modelGiven)
            {
                using var generator = CommonOptions.LoadGenerator(modelFile, loggerFactory);
                ConceptCatalog.ThrowIfMismatched(given, generator);
            }

            return given;
        }

        if (CommonOptions.IsDefaultModel(modelFile) || CommonOptions.IsBundle(modelFile))
        {
            // The bundle checks its catalog against its generator as it loads.
            using var bundle = CommonOptions.LoadModel(modelFile, loggerFactory);
            return bundle.Catalog ?? throw new FileNotFoundException(
                $"The bundle in {bundle.BundleDirectory} has no concept catalog; pass --catalog FILE.");
        }

        var beside = ConceptCatalog.Load(CommonOptions.FindCatalogBeside(modelFile), logger: catalogLogger);
        using (var generator = CommonOptions.LoadGenerator(modelFile, loggerFactory))
        {
            ConceptCatalog.ThrowIfMismatched(beside, generator);
        }

        return beside;
    }

    /// <summary>The listing: a header, then one line per concept with the units an edit would use, best first, and a
    /// second with the units removing it uses where the catalog ranks them apart.</summary>
    internal static string Describe(ConceptCatalog catalog, string? onlyConcept, int top)
    {
        var names = onlyConcept is null ? catalog.Concepts : [catalog.GetRanking(onlyConcept).Concept];
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.Append(invariant, $"{catalog.Concepts.Count} concepts, {catalog.UnitCount} units of {catalog.Layer}, ")
            .Append(invariant, $"levels at q{catalog.LevelQuantile * 100:0.##}, ")
            .Append(invariant, $"intensity low/medium/high = {catalog.Intensities.Low}/{catalog.Intensities.Medium}/{catalog.Intensities.High} units")
            .AppendLine();
        text.Append("squash units (never edited): ")
            .AppendLine(catalog.SquashUnits.Count == 0 ? "none" : string.Join(", ", catalog.SquashUnits.Order()));
        var width = Math.Max(7, names.Max(n => n.Length));
        text.Append("concept".PadRight(width)).Append("  metric  top units (unit:score)").AppendLine();
        IEnumerable<string> Units(ConceptRanking ranking) => ranking.Units.Where(u => !catalog.SquashUnits.Contains(u.Unit)).Take(top)
            .Select(u => string.Create(invariant, $"{u.Unit}:{u.Score:0.###}"));
        foreach (var name in names)
        {
            var ranking = catalog.GetRanking(name);
            text.Append(name.PadRight(width)).Append("  ").Append(ranking.Metric.PadRight(6)).Append("  ")
                .AppendJoin(' ', Units(ranking)).AppendLine();
            if (catalog.TryGetRemovalRanking(name, out var removal))
            {
                // The units remove switches off, when the catalog ranks them apart from those add switches on.
                text.Append(new string(' ', width)).Append("  ").Append(removal.Metric).Append(" (remove)  ")
                    .AppendJoin(' ', Units(removal)).AppendLine();
            }
        }

        return text.ToString();
    }
}
