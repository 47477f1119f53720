namespace SemanticManipulation.Cli;

/// <summary>What <c>--target-psnr</c> asks of a fit: stop once the kept pixels reach <paramref name="Db"/> dB, or,
/// when it is null (<c>off</c>), run every step.</summary>
/// <param name="Db">The kept-pixel PSNR at which the fit stops; null to run every step.</param>
internal readonly record struct KeptPsnrTarget(double? Db)
{
    /// <summary>As the option is written: the number of dB, or <c>off</c> (so help shows the default as a user types it).</summary>
    public override string ToString() => Db?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "off";
}
