namespace CityPairs.Domain.Common;

/// <summary>A rule of the domain was broken; the message is written for the person who tried.</summary>
public sealed class DomainRuleException(string message) : Exception(message);
