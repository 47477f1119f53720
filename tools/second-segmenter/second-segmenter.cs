#:project ../../src/SemanticManipulation.Training/SemanticManipulation.Training.csproj
#:package TorchSharp-cpu
#:property PublishAot=false

// A second opinion on the generator's class shares. The default GAN is trained against a semantic discriminator that
// reads the shipped segmenter's class maps, and the issue-6 quality numbers are measured with that same segmenter; a
// generator could in principle learn to please that one network. This trains another segmenter from a different seed
// (other initial weights and other input noise; same world, same options otherwise) whose weights the GAN never saw,
// and writes a copy of the bundle that uses it, so `semantic-manipulation evaluate --model COPY` measures the shares
// through other eyes. The segmenter follows the recipe for the bundle's resolution (DefaultModelOptions.ForResolution),
// resumably: an interrupted run continues from WORK-DIR/segmenter.
//   dotnet run tools/second-segmenter/second-segmenter.cs -- WORK-DIR [BUNDLE] [SEED]
//   (defaults: the shipped bundle, seed 8; writes WORK-DIR/segmenter and WORK-DIR/bundle)
using SemanticManipulation.Bundles;
using SemanticManipulation.Training;
using SemanticManipulation.Training.Segmentation;
using SemanticManipulation.Training.World;

var work = args.Length > 0 ? args[0] : throw new ArgumentException("Usage: second-segmenter.cs WORK-DIR [BUNDLE] [SEED]");
var bundle = args.Length > 1 ? args[1] : Path.Combine("src", "SemanticManipulation.DefaultModel", "bundle");
var seed = args.Length > 2 ? long.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 8;
int resolution;
using (var generator = ModelBundle.LoadGenerator(bundle))
{
    resolution = generator.Resolution;
}

var options = DefaultModelOptions.ForResolution(resolution).Segmenter;
options.Seed = seed;
var segmenter = new SegmenterTrainer().Train(new SceneWorld(), options, Path.Combine(work, "segmenter"),
    new Progress<SegmenterTrainingProgress>(p => Console.WriteLine($"segmenter step {p.Step}/{p.TotalSteps}: loss {p.Loss:F3}, pixel accuracy {p.PixelAccuracy:P1}")));

var copy = Path.Combine(work, "bundle");
Directory.CreateDirectory(copy);
foreach (var file in Directory.GetFiles(bundle))
{
    File.Copy(file, Path.Combine(copy, Path.GetFileName(file)), overwrite: true);
}

File.Copy(segmenter, Path.Combine(copy, "segmenter.safetensors"), overwrite: true);
Console.WriteLine($"Second segmenter (seed {seed}): {segmenter}; bundle using it: {copy}");
