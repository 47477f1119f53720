#:project ../../src/SemanticManipulation.Training/SemanticManipulation.Training.csproj

// Re-makes the sample photo and its "add trees here" mask in samples/photos/ from the scene world (a held-out seed the
// default model never trained on); the tests check that the shipped files are still what this makes.
//   dotnet run tools/sample-photos/make-sample-photos.cs [-- OUTPUT-FOLDER]      (default: samples/photos)
using SemanticManipulation.Training.World;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;

var folder = args.Length > 0 ? args[0] : Path.Combine("samples", "photos");
Directory.CreateDirectory(folder);
using var sample = SamplePhotos.RenderShipped();
var photoPath = Path.Combine(folder, "church.jpg");
var maskPath = Path.Combine(folder, "church-trees-mask.png");
// JPEG keeps the textured photo to tens of kilobytes (PNG: ~140 KB); the mask is flat, so PNG keeps it exact and tiny.
await sample.Photo.SaveAsJpegAsync(photoPath, new JpegEncoder { Quality = SamplePhotos.ShippedJpegQuality });
await sample.TreeMask.SaveAsPngAsync(maskPath);
Console.WriteLine($"Wrote {photoPath} and {maskPath}: scene {sample.Seed}, {sample.Photo.Width}×{sample.Photo.Height}, mask covers {sample.MaskFraction:P1}.");
