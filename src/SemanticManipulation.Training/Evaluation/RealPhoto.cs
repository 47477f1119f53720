namespace SemanticManipulation.Training.Evaluation;

/// <summary>One photo of a <see cref="RealPhotoSet"/>, with where it came from and under which licence, as the
/// manifest records it.</summary>
/// <param name="Path">The photo's full path.</param>
/// <param name="Package">The Debian package it was taken from.</param>
/// <param name="Version">The package's version.</param>
/// <param name="PathInPackage">The file inside the package.</param>
/// <param name="Licence">The licence the package's copyright file gives the file (e.g. <c>CC-BY-4.0</c>).</param>
/// <param name="Author">The photographer.</param>
public sealed record RealPhoto(string Path, string Package, string Version, string PathInPackage, string Licence, string Author)
{
    /// <summary>The photo's file name.</summary>
    public string Name => System.IO.Path.GetFileName(Path);
}
