namespace CityPairs.Web;

/// <summary>Marker for the app's user-facing strings in Resources/SharedResource.resx.</summary>
public sealed class SharedResource;
