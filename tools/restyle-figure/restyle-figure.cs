#:project ../../src/SemanticManipulation.Training/SemanticManipulation.Training.csproj
#:package TorchSharp-cpu
#:property PublishAot=false

// Makes docs/restyle.png, the appearance-transfer figure: for two regions of a held-out world scene (its roofs and domes,
// then its grass and trees), the photo with the region tinted | the reference with its matching region tinted | the
// restyled photo at strengths 0.25, 0.5 and 1. The references copy the appearance of the same classes in another scene.
//   dotnet run tools/restyle-figure/restyle-figure.cs [-- OUT.png]   (from the repository root)
using SemanticManipulation.Adaptation;
using SemanticManipulation.Bundles;
using SemanticManipulation.Editing;
using SemanticManipulation.Imaging;
using SemanticManipulation.Inversion;
using SemanticManipulation.Pipeline;
using SemanticManipulation.Training.Data;
using SemanticManipulation.Training.World;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using static TorchSharp.torch;

var output = args.Length > 0 ? args[0] : Path.Combine("docs", "restyle.png");
using var bundle = ModelBundle.Load(Path.Combine("src", "SemanticManipulation.DefaultModel", "bundle"));
var editor = bundle.CreateEditor();
var size = bundle.Generator.Resolution;
var world = new SceneWorld();
var options = new SemanticEditOptions
{
    Inversion = new InversionOptions { Steps = 500 },
    ReferenceInversion = new InversionOptions { Steps = 300 },
    // The figure as published: 600 steps each, without the 40 dB stop.
    Adaptation = new AdaptationOptions { Steps = 600, TargetKeptPsnrDb = null },
};

SceneLabel[][] regions = [[SceneLabel.Roof, SceneLabel.Dome], [SceneLabel.Grass, SceneLabel.Tree]];
var photo = FindScene(0, s => regions.All(r => Share(s, r) > 0.08));
var references = regions.Select((r, i) => FindScene(1000 * (i + 1), s => Share(s, r) > 0.12)).ToArray();
float[] strengths = [0.25f, 0.5f, 1f];

using var scope = NewDisposeScope();
var photoImage = Tensor(photo);
using var edit = editor.Open(photoImage, options);
Console.WriteLine($"photo: held-out seed {photo.Seed}, inversion {edit.Inversion!.PsnrDb:F2} dB");
var rows = new List<IReadOnlyList<Image<Rgb24>>>();
for (var i = 0; i < regions.Length; i++)
{
    var mask = Mask(photo, regions[i]);
    var reference = references[i];
    var referenceImage = Tensor(reference);
    var referenceRegion = Mask(reference, regions[i]);
    var row = new List<Image<Rgb24>> { Tinted(photoImage, mask), Tinted(referenceImage, referenceRegion) };
    foreach (var strength in strengths)
    {
        edit.Session.Reset();
        edit.Apply(new Restyle(ReferenceImage.FromImage(referenceImage, referenceRegion), mask, strength));
        using var result = edit.Render();
        row.Add(ImageTensor.ToImage(result.Image));
        Console.WriteLine($"{string.Join("+", regions[i])} after seed {reference.Seed}, s = {strength}: unedited PSNR {result.Metrics.UneditedPsnrDb:F2} dB");
    }

    rows.Add(row);
}

SaveRows(rows, output, tile: 128, gap: 4);
Console.WriteLine($"wrote {output}");

SceneSample FindScene(long from, Func<SceneSample, bool> accept)
{
    for (var i = from; ; i++)
    {
        var scene = world.Render(WorldSeeds.HeldOut(i), size);
        if (accept(scene))
        {
            return scene;
        }
    }
}

double Share(SceneSample scene, SceneLabel[] labels) =>
    scene.Labels.ToArray().Count(l => labels.Contains((SceneLabel)l)) / (double)(size * size);

Tensor Tensor(SceneSample scene)
{
    using var image = scene.ToImage();
    return ImageTensor.FromImage(image);
}

Tensor Mask(SceneSample scene, SceneLabel[] labels) =>
    tensor(scene.Labels.ToArray().Select(l => labels.Contains((SceneLabel)l) ? 1f : 0f).ToArray(), [1, 1, size, size]);

Image<Rgb24> Tinted(Tensor image, Tensor mask) =>
    ImageTensor.ToImage((image.clamp(-1, 1) * (1 - (0.4f * mask))) + (tensor(new[] { 1f, -1f, 1f }, [1, 3, 1, 1]) * (0.4f * mask)));

static void SaveRows(List<IReadOnlyList<Image<Rgb24>>> rows, string path, int tile, int gap)
{
    var columns = rows.Max(r => r.Count);
    using var sheet = new Image<Rgb24>((columns * (tile + gap)) + gap, (rows.Count * (tile + gap)) + gap, new Rgb24(255, 255, 255));
    for (var y = 0; y < rows.Count; y++)
    {
        for (var x = 0; x < rows[y].Count; x++)
        {
            using var scaled = rows[y][x].Clone(c => c.Resize(tile, tile, KnownResamplers.NearestNeighbor));
            sheet.Mutate(c => c.DrawImage(scaled, new Point(gap + (x * (tile + gap)), gap + (y * (tile + gap))), 1f));
        }
    }

    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    sheet.SaveAsPng(path);
}
