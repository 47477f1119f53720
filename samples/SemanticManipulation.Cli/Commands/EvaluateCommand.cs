using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using SemanticManipulation.Adaptation;
using SemanticManipulation.Inversion;
using SemanticManipulation.Pipeline;
using SemanticManipulation.Training.Evaluation;
using SemanticManipulation.Training.World;

namespace SemanticManipulation.Cli;

/// <summary>
/// <c>evaluate --model BUNDLE [--out report.json] [--images N] [--edits N] [--steps N] [--pictures DIR]</c>: shows that a
/// model bundle trained on the scene world works — generator quality (class shares, Fréchet distance) and edits (add,
/// remove, PSNR of the unedited pixels) on held-out images.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Write the full report (every class, every edit) as JSON." };
        var images = new Option<int>("--images") { Description = "Generated images, and world images per sample, for generator quality (0 skips it).", DefaultValueFactory = _ => 1000 };
        var edits = new Option<int>("--edits") { Description = "Held-out world images to edit (0 skips the edit evaluation).", DefaultValueFactory = _ => 20 };
        var steps = new Option<int>("--steps") { Description = "Most adaptation steps per edit (the paper: 1000); each fit stops sooner at --target-psnr.", DefaultValueFactory = _ => 1000 };
        var inversionSteps = new Option<int>("--inversion-steps") { Description = "Inversion refinement steps per image.", DefaultValueFactory = _ => 500 };
        var units = new Option<int?>("--units") { Description = "Units each add/remove changes (default: the catalog's High intensity; the default model's is 30, the Studio's 15)." };
        var firstEditImage = new Option<long>("--first-edit-image") { Description = "Index of the first held-out world image to edit (default 0): choose settings on one range, report on another." };
        var pictures = new Option<DirectoryInfo?>("--pictures") { Description = "Write sample grids and edit strips (PNG) into this folder." };
        var addMasks = new Option<string>("--add-masks")
        {
            Description = "The masks each image's add is painted with: 'square', 'tree' (a tree's silhouette inside the square) or 'both'.",
            DefaultValueFactory = _ => "both",
        };
        addMasks.AcceptOnlyFromAmong("square", "tree", "both");
        var featureLoss = CommonOptions.FeatureLoss();
        // The edit's adaptation as `edit` takes it, so a perturbation kind or schedule is judged on the held-out images.
        var kind = CommonOptions.PerturbationKind();
        var schedule = CommonOptions.LearningRateSchedule();
        var targetPsnr = CommonOptions.TargetPsnr();
        var command = new Command("evaluate", "Evaluate a scene-world model bundle: generator quality and edits on held-out images.")
        {
            model, output, images, edits, steps, inversionSteps, units, firstEditImage, addMasks, pictures, featureLoss, kind, schedule, targetPsnr,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            // Checked here rather than in a command validator: validators see options left at their defaults as 0.
            void Require(bool valid, string rule, object? value)
            {
                if (!valid)
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{rule}; got {value}."));
                }
            }

            Require(parse.GetValue(images) is 0 or >= 2, "--images must be 0 (skip) or at least 2", parse.GetValue(images));
            Require(parse.GetValue(edits) >= 0, "--edits must be 0 (skip) or more", parse.GetValue(edits));
            Require(parse.GetValue(steps) >= 1, "--steps must be at least 1", parse.GetValue(steps));
            Require(parse.GetValue(inversionSteps) >= 1, "--inversion-steps must be at least 1", parse.GetValue(inversionSteps));
            Require(parse.GetValue(units) is null or >= 1, "--units must be at least 1", parse.GetValue(units));
            Require(parse.GetValue(firstEditImage) >= 0, "--first-edit-image must be 0 or more", parse.GetValue(firstEditImage));

            using var outputs = new OutputSet();
            var reportPath = parse.GetValue(output) is FileInfo reportFile ? outputs.Data("--out", reportFile) : null;
            // Pictures are written as the evaluation goes, into staging, and put in place with the report at the end.
            var picturesDirectory = parse.GetValue(pictures) is DirectoryInfo picturesFolder ? outputs.Folder("--pictures", picturesFolder) : null;
            using var loggerFactory = CliApplication.CreateLoggerFactory(parse);
            // The other verbs' loader: it also resolves --model's default, the embedded bundle.
            using var loaded = CommonOptions.LoadModel(parse.GetValue(model)!, loggerFactory);
            var bundleDirectory = loaded.BundleDirectory
                ?? throw new ArgumentException("evaluate needs a model bundle (a folder with bundle.json, a segmenter and a concept catalog), not a bare generator checkpoint.");
            var segmenter = loaded.Segmenter ?? throw new ArgumentException($"The bundle in {bundleDirectory} has no segmenter; evaluate needs one to judge.");
            var world = new SceneWorld();

            // The edit stage (catalog, concepts, options) is checked before the quality stage's minutes, not after them.
            SemanticEditor? editor = null;
            EditEvaluationOptions? editOptions = null;
            if (parse.GetValue(edits) > 0)
            {
                if (loaded.Catalog is null)
                {
                    throw new ArgumentException($"The bundle in {bundleDirectory} has no concept catalog; the edit evaluation needs one.");
                }

                editor = CommonOptions.CreateEditor(loaded, loaded.Parts(), parse.GetValue(featureLoss), loggerFactory);
                editOptions = new EditEvaluationOptions
                {
                    Images = parse.GetValue(edits),
                    FirstHeldOutIndex = parse.GetValue(firstEditImage),
                    UnitCount = parse.GetValue(units),
                    AddMaskShapes = parse.GetValue(addMasks) switch
                    {
                        "square" => [EditMaskShape.Square],
                        "tree" => [EditMaskShape.Tree],
                        _ => [EditMaskShape.Square, EditMaskShape.Tree],
                    },
                    PictureDirectory = picturesDirectory,
                    Edit = new SemanticEditOptions
                    {
                        Inversion = new InversionOptions { Steps = parse.GetValue(inversionSteps), ProgressInterval = 100 },
                        Adaptation = new AdaptationOptions
                        {
                            Steps = parse.GetValue(steps), ProgressInterval = 250, Kind = parse.GetValue(kind)!,
                            Schedule = CommonOptions.ScheduleNamed(parse.GetValue(schedule)), TargetKeptPsnrDb = parse.GetValue(targetPsnr).Db,
                        },
                    },
                };
                EditEvaluator.Check(editor, editOptions);
            }

            GeneratorQualityReport? quality = null;
            if (parse.GetValue(images) > 0)
            {
                var qualityOptions = new GeneratorQualityOptions { Images = parse.GetValue(images), PictureDirectory = picturesDirectory };
                var qualityProgress = new Progress<GeneratorQualityProgress>(p =>
                {
                    if (p.Completed == p.Total || p.Completed % 200 < qualityOptions.BatchSize)
                    {
                        Console.Error.WriteLine($"{p.Stage.ToString().ToLowerInvariant()} images {p.Completed}/{p.Total}");
                    }
                });
                quality = new GeneratorQualityEvaluator(loggerFactory.CreateLogger<GeneratorQualityEvaluator>())
                    .Evaluate(loaded.Generator, segmenter, world, qualityOptions, qualityProgress, cancellationToken);
            }

            EditEvaluationReport? editReport = null;
            if (editor is not null && editOptions is not null)
            {
                var editProgress = new Progress<EditEvaluationProgress>(p =>
                {
                    if (p.Step is { } s && s.Step == s.TotalSteps)
                    {
                        Console.Error.WriteLine($"image {p.Image + 1}/{p.Images}: {s.Stage.ToString().ToLowerInvariant()} done, PSNR {s.PsnrDb:F2} dB, {s.Elapsed.TotalSeconds:F0} s");
                    }
                });
                editReport = new EditEvaluator(loggerFactory.CreateLogger<EditEvaluator>())
                    .Evaluate(editor, world, editOptions, editProgress, cancellationToken);
            }

            if (reportPath is not null)
            {
                outputs.Write(reportPath, file => MetricsFile.Write(file, new EvaluationReport(bundleDirectory, quality, editReport)));
            }

            outputs.Commit(cancellationToken);

            Console.Out.Write(Summary(quality, editReport));
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>The short human summary: shares table, Fréchet distances, pass rates, PSNR.</summary>
    internal static string Summary(GeneratorQualityReport? quality, EditEvaluationReport? edits)
    {
        var text = new System.Text.StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        string Percent(double? value) => value is double v ? v.ToString("P1", CultureInfo.InvariantCulture) : "-";
        string Verdict(bool passed) => passed ? "PASS" : "FAIL";
        if (quality is not null)
        {
            Line(string.Create(CultureInfo.InvariantCulture,
                $"Generator quality: {quality.GeneratedImages} generated vs {quality.WorldImages} held-out world images at {quality.Resolution}²"));
            Line(string.Create(CultureInfo.InvariantCulture,
                $"  {"class",-8} {"generated",10} {"world",8} {"world 2",8} {"truth",8} {"rel. diff",10}"));
            foreach (var c in quality.Classes)
            {
                var mark = !c.Checked ? "  (rare, not checked)" : c.WithinTolerance ? "" : "  <-- outside tolerance";
                Line(string.Create(CultureInfo.InvariantCulture,
                    $"  {c.Label,-8} {Percent(c.GeneratedShare),10} {Percent(c.WorldShare),8} {Percent(c.SecondWorldShare),8} {Percent(c.WorldTruthShare),8} {Percent(c.RelativeDifference),10}{mark}"));
            }

            Line(string.Create(CultureInfo.InvariantCulture,
                $"  shares within {quality.RelativeTolerance:P0}: {quality.ClassesWithinTolerance}/{quality.ClassesChecked} classes  {Verdict(quality.SharesWithinTolerance)}"));
            Line(string.Create(CultureInfo.InvariantCulture,
                $"  Fréchet distance (segmenter features): generated vs world {quality.FrechetDistance:F3}; world vs world {quality.WorldFrechetDistance:F3}"));
            Line(string.Create(CultureInfo.InvariantCulture, $"  segmenter pixel accuracy on the world: {quality.SegmenterPixelAccuracy:P1}"));
        }

        if (edits is not null)
        {
            var adds = edits.Edits.Where(e => e.Operation == "add").ToArray();
            var removes = edits.Edits.Where(e => e.Operation == "remove").ToArray();
            Line(string.Create(CultureInfo.InvariantCulture, $"Edits: {edits.Images} held-out world images at {edits.Resolution}²; adaptation: {edits.Adaptation}"));
            foreach (var shape in edits.AddSuccessByShape)
            {
                var shaped = adds.Where(e => e.MaskShape == shape.Shape).ToArray();
                Line(string.Create(CultureInfo.InvariantCulture,
                    $"  add {string.Join("/", shaped.Select(e => e.Concept).Distinct())}, {shape.Shape.ToString().ToLowerInvariant()} masks: {shaped.Count(e => e.Succeeded)}/{shape.Edits} reached {edits.AddShareThreshold:P0} in the mask ({shape.SuccessRate:P0}; need {edits.RequiredPassRate:P0}), median {Percent(Median(shaped.Select(e => e.ShareAfter)))}  {Verdict(shape.SuccessRate >= edits.RequiredPassRate)}"));
            }

            Line(removes.Length == 0
                ? "  remove: no image had a removable concept  FAIL"
                : string.Create(CultureInfo.InvariantCulture,
                    $"  remove {string.Join("/", removes.Select(e => e.Concept).Distinct())}: lowered the share in the mask on {removes.Count(e => e.Succeeded)}/{removes.Length} (need {edits.RequiredRemoveLoweringRate:P0}), halved it on {removes.Count(e => e.Halved)}/{removes.Length} (need {edits.RequiredRemoveHalvingRate:P0}); mean {Percent(removes.Average(e => e.ShareBefore))} -> {Percent(removes.Average(e => e.ShareAfter))}  {Verdict(edits.RemovePassed)}"));
            Line(string.Create(CultureInfo.InvariantCulture,
                $"  PSNR on unedited pixels: mean {edits.MeanUneditedPsnrDb:F2} dB, min {edits.MinUneditedPsnrDb:F2} dB (need every edit >= {edits.MinimumPsnrDb:F1})  {Verdict(edits.PsnrPassed)}"));
        }

        return text.ToString();
    }

    private static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? null : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The JSON report: which bundle, and both evaluations (null when skipped).</summary>
    private sealed record EvaluationReport(string Bundle, GeneratorQualityReport? GeneratorQuality, EditEvaluationReport? Edits);
}
