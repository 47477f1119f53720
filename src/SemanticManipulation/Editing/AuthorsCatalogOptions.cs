namespace SemanticManipulation.Editing;

/// <summary>How <see cref="ConceptCatalog.ImportAuthors(string, AuthorsCatalogOptions?, Microsoft.Extensions.Logging.ILogger?)"/>
/// reads the authors' published dissection (gandissect's <c>rankings</c> + <c>levels</c> JSON).</summary>
public sealed class AuthorsCatalogOptions
{
    /// <summary>Units to exclude from every edit. Null (the default) detects them: see <see cref="SquashLevelRatio"/>.</summary>
    public IReadOnlyList<int>? SquashUnits { get; set; }

    /// <summary>
    /// When <see cref="SquashUnits"/> is null, units whose q99 level exceeds this multiple of the median level are
    /// squash units (unit 418 of the church model: 76 against a median of 7). Null detects none. Default 5.
    /// </summary>
    public double? SquashLevelRatio { get; set; } = 5.0;

    /// <summary>
    /// For a concept ranked under several metrics (e.g. <c>tree-ace</c> and <c>tree-iou</c>), the metric to keep when the
    /// file's <c>ganpaint_demo_recipes</c> does not name one. Default <c>iou</c>.
    /// </summary>
    public string PreferredMetric { get; set; } = "iou";

    internal static AuthorsCatalogOptions Default { get; } = new();
}
