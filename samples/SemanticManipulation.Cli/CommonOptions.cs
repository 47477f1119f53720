using System.CommandLine;
using Microsoft.Extensions.Logging;
using SemanticManipulation.Adaptation;
using SemanticManipulation.Bundles;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.FeatureLosses;
using SemanticManipulation.Generators;
using SemanticManipulation.Pipeline;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Cli;

/// <summary>Options and helpers several verbs share.</summary>
internal static class CommonOptions
{
    /// <summary>
    /// <c>--model</c>: a model bundle or a bare generator checkpoint. Defaults to the embedded default model's
    /// <c>bundle.json</c>, so every verb built on this option works without it.
    /// </summary>
    public static Option<FileInfo> Model() => new("--model", "-m")
    {
        Description = "The model: a bundle folder (or its bundle.json), whose concept catalog, encoder and segmenter come with it, " +
            "or a generator checkpoint (.pth zip or legacy, or .safetensors). " +
            $"Default: the embedded scene-world model ({DefaultModel.RelativeDirectory} beside this program).",
        DefaultValueFactory = _ => new FileInfo(DefaultModel.ManifestPath),
    };

    /// <summary><c>--feature-loss</c>: invert with the authors' ResNet-18 feature loss beside the pixel loss.</summary>
    public static Option<bool> FeatureLoss() => new("--feature-loss")
    {
        Description = "Refine the inversion with the ResNet-18 feature loss beside the pixel loss (the authors' loss, and the " +
            "perceptual distance measured). Default: pixel-only, which reconstructs the embedded model's photos better in less time.",
    };

    /// <summary>
    /// The editor every verb works with: the model's parts with the verb's own choices in <paramref name="parts"/>, and
    /// the ResNet-18 feature loss when <paramref name="featureLoss"/> is set (kept by <paramref name="model"/>).
    /// </summary>
    public static SemanticEditor CreateEditor(LoadedModel model, SemanticEditorParts parts, bool featureLoss, ILoggerFactory loggerFactory) =>
        new(featureLoss ? parts with { FeatureLoss = model.Own(ResNet18FeatureLoss.Load(logger: loggerFactory.CreateLogger<ResNet18FeatureLoss>())) } : parts,
            loggerFactory);

    /// <summary><c>--kind</c>: which perturbation G' is fitted with.</summary>
    public static Option<string> PerturbationKind() => new Option<string>("--kind")
    {
        Description = "Perturbation: 'network' (R, the paper's) or 'free' (δ as parameters).",
        DefaultValueFactory = _ => PerturbationKinds.Network,
    }.AcceptOnlyFromAmong(PerturbationKinds.Network, PerturbationKinds.Free);

    /// <summary><c>--lr-schedule</c>: how the adaptation's learning rate moves; left out, the perturbation's own.</summary>
    public static Option<string?> LearningRateSchedule() => new Option<string?>("--lr-schedule")
    {
        Description = "Learning rate over the fit: 'constant' (the paper's) or 'plateau-cosine' (twice the rate, decaying over the last 30 %); default: R's is plateau-cosine, free δ stays constant.",
    }.AcceptOnlyFromAmong(ConstantSchedule, PlateauCosineSchedule);

    /// <summary>The schedule a <see cref="LearningRateSchedule"/> value names; null (the perturbation's own) when it was left out.</summary>
    public static LearningRateSchedule? ScheduleNamed(string? name) => name switch
    {
        null => null,
        ConstantSchedule => Adaptation.LearningRateSchedule.Constant,
        PlateauCosineSchedule => Adaptation.LearningRateSchedule.PlateauThenCosine,
        _ => throw new ArgumentException($"Unknown learning-rate schedule '{name}'.", nameof(name)),
    };

    private const string ConstantSchedule = "constant";
    private const string PlateauCosineSchedule = "plateau-cosine";

    /// <summary>
    /// <c>--target-psnr DB|off</c>: stop adapting as soon as the kept pixels reach this PSNR (early stop; by default the
    /// SDK's 40 dB), the fit running at most <c>--steps</c>; <c>off</c> runs every step, as the paper does.
    /// </summary>
    public static Option<KeptPsnrTarget> TargetPsnr() => new("--target-psnr")
    {
        HelpName = "DB|off",
        Description = $"Stop adapting once the unedited pixels reach this PSNR in dB, at most --steps steps (past {AdaptationOptions.DefaultTargetKeptPsnrDb} dB " +
            $"no difference shows and a longer fit erodes the edit); '{Off}' runs every step, as the paper does.",
        DefaultValueFactory = _ => new KeptPsnrTarget(AdaptationOptions.DefaultTargetKeptPsnrDb),
        CustomParser = result =>
        {
            var token = result.Tokens[0].Value;
            if (string.Equals(token, Off, StringComparison.OrdinalIgnoreCase))
            {
                return new KeptPsnrTarget(null);
            }

            if (!double.TryParse(token, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                result.AddError($"--target-psnr must be a number of dB or '{Off}'; got '{token}'.");
            }
            else if (!(value > 0 && double.IsFinite(value)))
            {
                result.AddError($"--target-psnr must be a finite positive number of dB; got {token}.");
            }

            return new KeptPsnrTarget(value);
        },
    };

    private const string Off = "off";

    /// <summary><c>--mode</c>: how δ acts on the perturbed features.</summary>
    public static Option<PerturbationMode> PerturbationMode() => new("--mode")
    {
        Description = "How δ acts on the features h: Multiplicative, h·(1 + δ), the paper's; or Additive, h + δ, its ablation.",
        DefaultValueFactory = _ => Adaptation.PerturbationMode.Multiplicative,
    };

    public static Option<FileInfo?> Latent() => new Option<FileInfo?>("--latent", "-z")
    {
        Description = "A float32 .npy latent of shape [Z] or [1, Z] (e.g. one made with NumPy or PyTorch).",
    }.MustExist();

    /// <summary>Whether <paramref name="model"/> is the embedded default model (what <see cref="Model"/> defaults to).</summary>
    public static bool IsDefaultModel(FileInfo model) =>
        string.Equals(model.FullName, Path.GetFullPath(DefaultModel.ManifestPath), StringComparison.Ordinal);

    /// <summary>Whether <paramref name="model"/> names a bundle: its <c>bundle.json</c>, or any folder (a folder without
    /// a manifest is then refused by the bundle loader, which says so, rather than read as a checkpoint).</summary>
    public static bool IsBundle(FileInfo model) => Directory.Exists(model.FullName) || ModelBundle.IsBundle(model.FullName);

    /// <summary>Loads only the generator of <paramref name="model"/>: a bundle's (split where its manifest says), or the checkpoint.</summary>
    public static ProGanGenerator LoadGenerator(FileInfo model, ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger<ProGanGenerator>();
        if (IsDefaultModel(model))
        {
            DefaultModel.EnsureAvailable();
        }

        return IsBundle(model)
            ? ModelBundle.LoadGenerator(model.FullName, logger: logger)
            : ProGanGenerator.Load(model.FullName, logger: logger);
    }

    /// <summary>
    /// Loads <paramref name="model"/> with whatever comes with it: a bundle's generator, concept catalog, encoder and
    /// segmenter, or a bare checkpoint's generator alone (the verbs then take the other parts from their own options).
    /// </summary>
    public static LoadedModel LoadModel(FileInfo model, ILoggerFactory loggerFactory)
    {
        if (IsDefaultModel(model))
        {
            return new LoadedModel(DefaultModel.Load(logger: loggerFactory.CreateLogger<ModelBundle>()));
        }

        return IsBundle(model)
            ? new LoadedModel(ModelBundle.Load(model.FullName, logger: loggerFactory.CreateLogger<ModelBundle>()))
            : new LoadedModel(ProGanGenerator.Load(model.FullName, logger: loggerFactory.CreateLogger<ProGanGenerator>()));
    }

    /// <summary>Reads a latent for <paramref name="latentSize"/>, refusing any other dtype or shape with the reason.</summary>
    public static Tensor ReadLatent(string path, int latentSize)
    {
        var z = NpyFile.Read(path);
        if (z.dtype != ScalarType.Float32 || !(z.shape.SequenceEqual([latentSize]) || z.shape.SequenceEqual([1L, latentSize])))
        {
            throw new ArgumentException(
                $"{Path.GetFileName(path)} holds a {z.dtype} array of shape [{string.Join(", ", z.shape)}]; " +
                $"the generator needs float32 of shape [{latentSize}] or [1, {latentSize}].");
        }

        return z.reshape(1, latentSize);
    }

    /// <summary>A seeded latent z ~ N(0, I), the same for the same seed on every machine.</summary>
    public static Tensor SeededLatent(long seed, int latentSize)
    {
        using var random = new Generator(0, CPU).manual_seed(seed);
        return randn(1, latentSize, generator: random);
    }

    /// <summary>The concept catalog stored beside a model: <c>NAME.concepts.json</c> or <c>concepts.json</c>.</summary>
    public static string FindCatalogBeside(FileInfo model)
    {
        var directory = model.DirectoryName ?? ".";
        string[] candidates =
        [
            Path.Combine(directory, Path.GetFileNameWithoutExtension(model.Name) + ".concepts.json"),
            Path.Combine(directory, "concepts.json"),
        ];
        return candidates.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException(
            $"No concept catalog beside {model.Name} (looked for {string.Join(" and ", candidates.Select(Path.GetFileName))}); " +
            "pass --catalog FILE.");
    }

    // The parsed value, or false when the token does not parse: System.CommandLine reports that in one line itself, while
    // GetValueOrDefault would throw out of the validator and crash the parse.
    private static bool TryGetValue<T>(System.CommandLine.Parsing.OptionResult result, out T value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    /// <summary>Refuses, at parse time and in one line, an optional input file that does not exist.</summary>
    public static Option<FileInfo?> MustExist(this Option<FileInfo?> option)
    {
        option.Validators.Add(result =>
        {
            if (TryGetValue(result, out FileInfo? parsed) && parsed is { Exists: false } file)
            {
                result.AddError($"{option.Name}: no such file: {file.FullName}.");
            }
        });
        return option;
    }

    /// <summary>Refuses, at parse time and in one line, a count below <paramref name="minimum"/>.</summary>
    public static Option<int> AtLeast(this Option<int> option, int minimum)
    {
        option.Validators.Add(result =>
        {
            if (!TryGetValue(result, out int value))
            {
                return;   // not a number: System.CommandLine reports that itself
            }

            if (value < minimum)
            {
                result.AddError($"{option.Name} must be at least {minimum}; got {value}.");
            }
        });
        return option;
    }

    /// <summary>Refuses, at parse time and in one line, a number outside [<paramref name="low"/>, <paramref name="high"/>] (or NaN).</summary>
    public static Option<float> Within(this Option<float> option, float low, float high)
    {
        option.Validators.Add(result =>
        {
            if (!TryGetValue(result, out float value))
            {
                return;   // not a number: System.CommandLine reports that itself
            }

            if (!(value >= low && value <= high))
            {
                result.AddError($"{option.Name} must be between {low} and {high}; got {value}.");
            }
        });
        return option;
    }

    /// <summary>Refuses, at parse time and in one line, a rate that is not a finite positive number.</summary>
    public static Option<double> FinitePositive(this Option<double> option)
    {
        option.Validators.Add(result =>
        {
            if (!TryGetValue(result, out double value))
            {
                return;   // not a number: System.CommandLine reports that itself
            }

            if (!(double.IsFinite(value) && value > 0))
            {
                result.AddError($"{option.Name} must be a finite number above 0; got {value}.");
            }
        });
        return option;
    }
}
