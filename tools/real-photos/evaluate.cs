#:project ../../src/SemanticManipulation.Training/SemanticManipulation.Training.csproj
#:package TorchSharp-cpu
#:package Microsoft.Extensions.Logging.Console
#:property PublishAot=false

// Makes docs/real-photos.png and docs/real-photos.md: the whole pipeline on the real photos fetch.sh brings (fetched
// first when missing): per photo invert, add trees on the ground, remove trees, each adapted and rendered as `edit` does.
//   dotnet run tools/real-photos/evaluate.cs [-- --model BUNDLE] [--photos DIR] [--out DIR] [--steps N] [--target-psnr DB|off]
// (from the repository root). --model defaults to the embedded default model's bundle; --out to docs/; --steps and
// --target-psnr set each edit's adaptation as `edit` takes them (default: edit's own, at most
// 1000 steps, stopping at 40 dB kept-pixel PSNR; --target-psnr off runs all of them).
// Exits 1 when a photo misses the PSNR bar (the pictures and the numbers are written all the same).
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using SemanticManipulation.Bundles;
using SemanticManipulation.Pipeline;
using SemanticManipulation.Training.Evaluation;

var model = Option("--model") ?? Path.Combine("src", "SemanticManipulation.DefaultModel", "bundle");
var photosDirectory = Option("--photos") ?? Path.Combine("tools", "real-photos", "photos");
var output = Option("--out") ?? "docs";
var photos = RealPhotoSet.LoadOrFetch(photosDirectory, Path.Combine("tools", "real-photos", "fetch.sh"));

using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
using var bundle = ModelBundle.Load(model);
var sheet = Path.Combine(output, "real-photos.png");
var options = new RealPhotoEvaluationOptions { ContactSheetPath = sheet };
// The adaptation options as given, also echoed in the remake command below so that it reproduces this run.
var adaptationArguments = new List<string>();
if (Option("--steps") is string steps)
{
    options.Edit.Adaptation.Steps = int.Parse(steps, CultureInfo.InvariantCulture);
    adaptationArguments.Add($"--steps {steps}");
}

if (Option("--target-psnr") is string target)
{
    options.Edit.Adaptation.TargetKeptPsnrDb = string.Equals(target, "off", StringComparison.OrdinalIgnoreCase) ? null : double.Parse(target, CultureInfo.InvariantCulture);
    adaptationArguments.Add($"--target-psnr {target}");
}
var report = new RealPhotoEvaluator(loggers.CreateLogger<RealPhotoEvaluator>())
    .Evaluate(bundle.CreateEditor(), photos.Photos.Select(p => p.Path).ToArray(), options, new StageReport());

var c = CultureInfo.InvariantCulture;
var below = report.BelowPsnrBar;
var text = new StringBuilder();
text.AppendLine("# Real photos");
text.AppendLine();
text.AppendLine(c, $"The whole pipeline on {report.Photos.Count} real outdoor photos from Debian's wallpaper packages (no model here saw them), with the model `{bundle.Manifest.Name}` ({report.Resolution}²). Each photo is centre-cropped to the model's size and inverted once ({options.Edit.Inversion.Steps} steps); then {report.Concept}s are **added** in a {options.AddRegionCells}×{options.AddRegionCells}-cell square (of the split layer's grid) where the model's segmenter finds the most ground ({string.Join(", ", options.AddHostLabels)}) and at most {options.AddMaxExistingShare:P0} {report.Concept}, and **removed** where the segmenter finds {report.Concept} inside the {options.RemoveRegionCells}×{options.RemoveRegionCells}-cell window that holds the most of it (grown by {options.RemoveDilationAt(report.Resolution)} px; only when the photo has at least {options.RemoveMinimumShare:P0} {report.Concept}). Each edit fits its own G' ({report.Adaptation}) and is rendered, exactly as `edit` does.");
text.AppendLine();
text.AppendLine(c, $"**Kept-pixel PSNR after adaptation ≥ {report.MinimumPsnrDb:F0} dB on every photo: {(below.Count == 0 ? "met" : "missed")}** ({report.Photos.Count - below.Count} of {report.Photos.Count}{(below.Count == 0 ? string.Empty : "; below: " + string.Join(", ", below.Select(Worst)))}). " +
    $"{report.Concept} share in the mask (the segmenter's): raised by the add on {report.Photos.Count(p => p.Add.ShareAfter > p.Add.ShareBefore)} of {report.Photos.Count}, lowered by the remove on {report.Photos.Count(p => p.Remove is { } r && r.ShareAfter < r.ShareBefore)} of {report.Photos.Count(p => p.Remove is not null)}. " +
    $"Kept PSNR is measured where the adaptation was asked to match the photo (everything but the edit grown and softened); times are wall-clock with {Threads(TorchSharp.torch.get_num_threads())} on {Environment.ProcessorCount} CPU cores ({report.Seconds:F0} s in all; on a machine busy with other work, `OMP_NUM_THREADS=1` was far faster).");
text.AppendLine();
text.Append(report.ToMarkdownTable());
text.AppendLine();
text.AppendLine("Rows as in the table: photo (the model-size crop) | reconstruction G(r*) | add mask | trees added | remove mask | trees removed (empty when there were too few trees to remove).");
text.AppendLine();
text.AppendLine("![photo | reconstruction | add mask | added | remove mask | removed](real-photos.png)");
text.AppendLine();
text.AppendLine("Remake (fetches the photos first when they are missing; `--model BUNDLE` for another model):");
text.AppendLine();
text.AppendLine("```bash");
text.AppendLine(adaptationArguments.Count == 0
    ? "dotnet run tools/real-photos/evaluate.cs"
    : $"dotnet run tools/real-photos/evaluate.cs -- {string.Join(' ', adaptationArguments)}");
text.AppendLine("```");
text.AppendLine();
text.AppendLine("The photos, as `tools/real-photos/fetch.sh` recorded them from each package's `usr/share/doc/PACKAGE/copyright`:");
text.AppendLine();
text.AppendLine("| photo | author | licence | package | file |");
text.AppendLine("|---|---|---|---|---|");
foreach (var photo in photos.Photos)
{
    text.AppendLine(c, $"| {photo.Name} | {photo.Author} | {photo.Licence} | {photo.Package} {photo.Version} | `{photo.PathInPackage}` |");
}

Directory.CreateDirectory(output);
var markdown = Path.Combine(output, "real-photos.md");
File.WriteAllText(markdown, text.ToString());
Console.WriteLine(report.ToMarkdownTable());
Console.WriteLine($"wrote {sheet} and {markdown}");
return below.Count == 0 ? 0 : 1;

// The photo's lowest kept PSNR, with how much of the photo that edit's mask covered (the rest is all the fit could keep).
string Worst(RealPhotoEvaluationRow photo)
{
    var edit = photo.Remove is { } remove && remove.KeptPsnrDb < photo.Add.KeptPsnrDb ? (Name: "remove", Measured: remove) : (Name: "add", Measured: photo.Add);
    return string.Create(c, $"{photo.Photo} {edit.Measured.KeptPsnrDb:F1} dB after the {edit.Name}, whose mask covered {edit.Measured.MaskFraction:P0} of it");
}

static string Threads(int count) => count == 1 ? "1 libtorch thread" : $"{count} libtorch threads";

string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

/// <summary>Prints each stage of the pipeline as it starts, so a long run shows where it is.</summary>
internal sealed class StageReport : IProgress<SemanticEditProgress>
{
    private SemanticEditStage? _stage;

    public void Report(SemanticEditProgress value)
    {
        if (value.Stage != _stage)
        {
            _stage = value.Stage;
            Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} {value.Stage.ToString().ToLowerInvariant()}");
        }
    }
}
