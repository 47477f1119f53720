using System.CommandLine;
using Microsoft.Extensions.Logging;
using SemanticManipulation.Adaptation;
using SemanticManipulation.Editing;
using SemanticManipulation.Imaging;
using SemanticManipulation.Inversion;
using SemanticManipulation.Pipeline;
using SemanticManipulation.Segmentation;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Cli;

/// <summary>
/// <c>edit [--model PATH] --image FILE --mask FILE (--add C | --remove C | --restyle --reference FILE [--strength S])
/// --out FILE.png [--metrics FILE.json] [--steps N]</c>: the whole method on one photo. With a bundle (the embedded
/// default model unless <c>--model</c> names another) its catalog, encoder and segmenter are used unless options name others.
/// </summary>
internal static class EditCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var image = new Option<FileInfo>("--image", "-i") { Description = "The photo to edit (any common format; centre-cropped to the model's size).", Required = true }.AcceptExistingOnly();
        var mask = new Option<FileInfo>("--mask") { Description = "Where to edit: a PNG whose alpha, or dark-on-white paint, marks the region.", Required = true }.AcceptExistingOnly();
        var add = new Option<string?>("--add") { Description = "Add a concept inside the mask (e.g. tree)." };
        var remove = new Option<string?>("--remove") { Description = "Remove a concept inside the mask (e.g. dome)." };
        var restyle = new Option<bool>("--restyle") { Description = "Restyle the masked region after --reference." };
        var referenceOption = new Option<FileInfo?>("--reference") { Description = "The reference image for --restyle." }.MustExist();
        var strength = new Option<float>("--strength") { Description = "Edit strength in [0, 1].", DefaultValueFactory = _ => 1f }.Within(0, 1);
        var intensity = new Option<ConceptIntensity>("--intensity") { Description = "How many units an add/remove uses: the catalog's Low, Medium or High count (the embedded model: 10, 20, 30).", DefaultValueFactory = _ => ConceptIntensity.High };
        var output = new Option<FileInfo>("--out", "-o") { Description = "The edited image (.png, .jpg or .bmp).", Required = true };
        var fullSize = new Option<FileInfo?>("--full-size")
        {
            Description = "Also write the edit at the photo's own size: the photo, with only the edited region (grown and softened as " +
                "fitting excluded it) taken from the model's rendering.",
        };
        var metrics = new Option<FileInfo?>("--metrics") { Description = "Write timings and quality measures as JSON." };
        var steps = new Option<int>("--steps") { Description = "Most adaptation steps (the paper: 1000); the fit stops sooner at --target-psnr.", DefaultValueFactory = _ => 1000 }.AtLeast(1);
        var learningRate = new Option<double>("--learning-rate")
        {
            Description = "Adam learning rate of the adaptation (default 0.01; the paper's 0.1 overshoots on the models measured here).",
            DefaultValueFactory = _ => new AdaptationOptions().LearningRate,
        }.FinitePositive();
        var inversionSteps = new Option<int>("--inversion-steps") { Description = "Inversion refinement steps.", DefaultValueFactory = _ => 500 }.AtLeast(1);
        var catalog = new Option<FileInfo?>("--catalog") { Description = "Concept catalog (default: the bundle's; for a bare checkpoint, NAME.concepts.json or concepts.json beside it)." }.MustExist();
        var encoder = new Option<FileInfo?>("--encoder") { Description = "Encoder checkpoint for the first inversion guess (default: the bundle's; without one, start from the mean)." }.MustExist();
        var segmenter = new Option<FileInfo?>("--segmenter") { Description = "Segmenter to measure the concept's share in the mask before and after (default: the bundle's)." }.MustExist();
        var latent = CommonOptions.Latent();
        var featureLoss = CommonOptions.FeatureLoss();
        var kind = CommonOptions.PerturbationKind();
        var targetPsnr = CommonOptions.TargetPsnr();
        var schedule = CommonOptions.LearningRateSchedule();
        var mode = CommonOptions.PerturbationMode();

        var command = new Command("edit", "Edit a photo: invert it, change its features in the mask, adapt G' to it, render.")
        {
            model, image, mask, add, remove, restyle, referenceOption, strength, intensity, output, fullSize, metrics, steps, learningRate, inversionSteps, catalog, encoder, segmenter, latent, featureLoss, kind, mode, targetPsnr, schedule,
        };
        command.Validators.Add(result =>
        {
            var chosen = (result.GetResult(add) is not null ? 1 : 0) + (result.GetResult(remove) is not null ? 1 : 0) + (result.GetValue(restyle) ? 1 : 0);
            if (chosen != 1)
            {
                result.AddError("Choose exactly one of --add CONCEPT, --remove CONCEPT or --restyle.");
            }

            if (result.GetValue(restyle) && result.GetResult(referenceOption) is null)
            {
                result.AddError("--restyle needs --reference FILE.");
            }
        });
        command.SetAction((parse, cancellationToken) =>
        {
            // Every output is checked before the model is loaded, and all of them are written together at the end.
            using var outputs = new OutputSet();
            var outputPath = outputs.Image("--out", parse.GetValue(output)!);
            var fullSizePath = parse.GetValue(fullSize) is FileInfo fullSizeFile ? outputs.Image("--full-size", fullSizeFile) : null;
            var metricsPath = parse.GetValue(metrics) is FileInfo metricsFile ? outputs.Data("--metrics", metricsFile) : null;
            using var loggerFactory = CliApplication.CreateLoggerFactory(parse);
            var logger = loggerFactory.CreateLogger("edit");
            var modelFile = parse.GetValue(model)!;
            using var loaded = CommonOptions.LoadModel(modelFile, loggerFactory);
            var generator = loaded.Generator;

            var concept = parse.GetValue(add) ?? parse.GetValue(remove);
            var operation = parse.GetValue(add) is not null ? AddConceptOperator.OperatorName
                : parse.GetValue(remove) is not null ? RemoveConceptOperator.OperatorName : RestyleOperator.OperatorName;

            // Explicit options win; otherwise a bundle's own parts are used, so `edit` needs no extra flags for one. Only
            // add and remove need a catalog, so only they look for one beside a bare checkpoint.
            var catalogFile = parse.GetValue(catalog);
            var encoderFile = parse.GetValue(encoder);
            var segmenterFile = parse.GetValue(segmenter);
            var parts = loaded.Parts() with
            {
                Catalog = catalogFile is not null
                    ? ConceptCatalog.Load(catalogFile.FullName, logger: loggerFactory.CreateLogger<ConceptCatalog>())
                    : loaded.Catalog ?? (concept is null ? null : ConceptCatalog.Load(CommonOptions.FindCatalogBeside(modelFile), logger: loggerFactory.CreateLogger<ConceptCatalog>())),
                Encoder = encoderFile is null ? loaded.Encoder : loaded.Own(HybridEncoder.Load(encoderFile.FullName, generator, logger: logger)),
                Segmenter = segmenterFile is null ? loaded.Segmenter : loaded.Own(ConvolutionalSegmenter.Load(segmenterFile.FullName)),
            };
            if (loaded.BundleDirectory is string bundleDirectory)
            {
                static string Source(FileInfo? given, object? fromBundle) => given?.Name ?? (fromBundle is null ? "none" : "the bundle's");
                logger.LogInformation("Model: bundle {Directory}; catalog: {Catalog}, encoder: {Encoder}, segmenter: {Segmenter}", bundleDirectory,
                    Source(catalogFile, loaded.Catalog), Source(encoderFile, loaded.Encoder), Source(segmenterFile, loaded.Segmenter));
            }

            var editor = CommonOptions.CreateEditor(loaded, parts, parse.GetValue(featureLoss), loggerFactory);
            var options = new SemanticEditOptions
            {
                Inversion = new InversionOptions { Steps = parse.GetValue(inversionSteps), ProgressInterval = 50 },
                Adaptation = new AdaptationOptions
                {
                    Steps = parse.GetValue(steps), LearningRate = parse.GetValue(learningRate), Kind = parse.GetValue(kind)!, Mode = parse.GetValue(mode), TargetKeptPsnrDb = parse.GetValue(targetPsnr).Db, Schedule = CommonOptions.ScheduleNamed(parse.GetValue(schedule)),
                    ProgressInterval = 50,
                },
            };
            var progress = new Progress<SemanticEditProgress>(p =>
                Console.Error.WriteLine($"{p.Stage.ToString().ToLowerInvariant()} {p.Step}/{p.TotalSteps}  PSNR {p.PsnrDb:F2} dB  {p.Elapsed.TotalSeconds:F1} s"));

            using var photo = ImageTensor.Load(parse.GetValue(image)!.FullName, generator.Resolution);
            using var scope = NewDisposeScope();
            var editMask = EditMask.Load(parse.GetValue(mask)!.FullName, photo.Fit);
            // Every input is read and the edit checked against the model (concept, mask, catalog) before the inversion.
            using var referenceImage = parse.GetValue(referenceOption) is FileInfo r ? ImageTensor.Load(r.FullName, generator.Resolution) : null;
            var edit = NamedEdits.Create(operation, editMask, concept, parse.GetValue(intensity), parse.GetValue(strength),
                referenceImage is null ? null : ReferenceImage.FromImage(referenceImage.Photo.Tensor));
            editor.Validate(edit);
            var latentFile = parse.GetValue(latent);
            using var photoEdit = latentFile is null
                ? editor.Open(photo.Photo, options, progress, cancellationToken)
                : editor.Open(photo.Photo, generator.Early(CommonOptions.ReadLatent(latentFile.FullName, generator.LatentSize)).detach(), options);

            photoEdit.Apply(edit, progress, cancellationToken);
            using var result = photoEdit.Render(progress, cancellationToken);

            outputs.Write(outputPath, path => ImageTensor.Save(result.Image, path));
            if (fullSizePath is not null)
            {
                outputs.Write(fullSizePath, path =>
                {
                    using var original = ImageTensor.Decode(parse.GetValue(image)!.FullName, new ImageLoadOptions());
                    using var region = result.Adapted.EditedRegion(editMask);
                    using var composite = ImageTensor.PasteBack(result.Image, original, photo.Fit, region);
                    ImageTensor.Save(composite, path);
                    logger.LogInformation("Wrote {Path} ({Width}×{Height})", fullSizePath, composite.Width, composite.Height);
                });
            }

            if (metricsPath is not null)
            {
                var measured = result.Metrics;
                var share = measured.ConceptShares.Count > 0 ? measured.ConceptShares[0] : null;
                outputs.Write(metricsPath, path => MetricsFile.Write(path, new EditMetricsFile(
                    operation, concept, measured.UneditedPsnrDb, measured.Inversion?.PsnrDb, measured.Inversion?.Seconds ?? 0, measured.Inversion?.Steps ?? 0,
                    measured.Adaptation.Seconds, measured.Adaptation.Steps, measured.MaskFraction, share?.Before, share?.After)));
            }

            outputs.Commit(cancellationToken);
            logger.LogInformation("Wrote {Path}: PSNR on unedited pixels {Psnr:F2} dB", outputPath, result.Metrics.UneditedPsnrDb);
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>The metrics file: the edit's <see cref="Pipeline.EditMetrics"/> in the CLI's flat JSON shape.</summary>
    private sealed record EditMetricsFile(
        string Operation,
        string? Concept,
        double PsnrUneditedDb,
        double? InversionPsnrDb,
        double InversionSeconds,
        int InversionSteps,
        double AdaptationSeconds,
        int AdaptationSteps,
        double MaskFraction,
        double? ConceptFractionInMaskBefore,
        double? ConceptFractionInMaskAfter);
}
