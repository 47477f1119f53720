namespace SemanticManipulation.Cli;

/// <summary>What <c>--target-psnr</c> asks of a fit: stop once the kept pixels reach <paramref name="Db"/> dB, or,
/// when it is null (<c>off</c>), run every step.</summary>
/// <param name="Db">The kept-pixel PSNR at which the fit stops; null to run every step.</param>
internal readonly record struct KeptPsnrTarget(double? Db);
