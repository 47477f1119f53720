#:project ../../src/SemanticManipulation.Training/SemanticManipulation.Training.csproj
#:package TorchSharp-cpu
#:property PublishAot=false

// A diagnostic for the default model's class-share gap: segments 500 held-out world images sharp and blurred
// (2× and 4× down-up sampling, a 3×3 Gaussian) and prints each label's pixel share (%). Blur moves brick to stone and
// grows cloud and hill; generated images show brick *over* stone, so blur alone does not explain that gap. The images
// are rendered at the bundle's resolution, the size its generator draws and its segmenter was trained at.
//   dotnet run tools/segmenter-blur/segmenter-blur.cs [-- SEGMENTER.safetensors [BUNDLE]]   (defaults: the shipped bundle and its segmenter)
using System.Globalization;
using SemanticManipulation.Bundles;
using SemanticManipulation.Segmentation;
using SemanticManipulation.Training.Data;
using SemanticManipulation.Training.World;
using static TorchSharp.torch;

var bundle = args.Length > 1 ? args[1] : Path.Combine("src", "SemanticManipulation.DefaultModel", "bundle");
int resolution;
using (var generator = ModelBundle.LoadGenerator(bundle))
{
    resolution = generator.Resolution;
}

using var seg = ConvolutionalSegmenter.Load(args.Length > 0 ? args[0] : Path.Combine(bundle, "segmenter.safetensors"));
var world = new SceneWorld();
var sums = new Dictionary<string, double[]>();
string[] variants = ["sharp", "down2", "down4", "gauss1"];
foreach (var v in variants) sums[v] = new double[seg.Labels.Count];
int n = 0;
for (int b = 0; b < 10; b++)
{
    using var scope = NewDisposeScope();
    using var noGrad = no_grad();
    var batch = world.RenderBatch(WorldSeeds.HeldOut(200_000 + b * 50), 50, resolution);
    var x = batch.Images;
    var versions = new Dictionary<string, Tensor>
    {
        ["sharp"] = x,
        ["down2"] = nn.functional.interpolate(nn.functional.avg_pool2d(x, 2), size: [resolution, resolution], mode: InterpolationMode.Bilinear, align_corners: false),
        ["down4"] = nn.functional.interpolate(nn.functional.avg_pool2d(x, 4), size: [resolution, resolution], mode: InterpolationMode.Bilinear, align_corners: false),
        ["gauss1"] = nn.functional.conv2d(nn.functional.pad(x, [1, 1, 1, 1], TorchSharp.PaddingModes.Replicate),
            tensor(new float[] { 1, 2, 1, 2, 4, 2, 1, 2, 1 }).div(16).reshape(1, 1, 3, 3).repeat(3, 1, 1, 1), groups: 3),
    };
    foreach (var (name, img) in versions)
    {
        var labels = seg.Predict(img); // the label map the evaluator counts shares on
        for (int c = 0; c < seg.Labels.Count; c++) sums[name][c] += labels.eq(c).to_type(ScalarType.Float32).mean().item<float>();
    }
    n++;
}
Console.WriteLine("label   " + string.Join("  ", variants.Select(v => v.PadLeft(7))));
for (int c = 0; c < seg.Labels.Count; c++)
    Console.WriteLine(seg.Labels[c].PadRight(8) + string.Join("  ", variants.Select(v => (sums[v][c] / n * 100).ToString("F2", CultureInfo.InvariantCulture).PadLeft(7))));
