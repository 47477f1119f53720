namespace SemanticManipulation.Studio.Sessions;

/// <summary>The opened photo.</summary>
/// <param name="Source"><c>upload</c>, <c>sample:ID</c> or <c>seed:N</c>.</param>
/// <param name="Width">The photo's own width.</param>
/// <param name="Height">The photo's own height.</param>
/// <param name="Resolution">The model's side S (the canvas to paint masks on).</param>
/// <param name="InversionPsnrDb">How well inversion reproduced the photo; null for a generated image (or an exact reproduction).</param>
/// <param name="Number">Which photo of the session this is (1 for the first opened): strokes name it.</param>
internal sealed record PhotoInfo(string Source, int Width, int Height, int Resolution, double? InversionPsnrDb, int Number);
