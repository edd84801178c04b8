"""The people of the newsroom's stories: who wrote them and who is quoted in them."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

US_STATES = [
    ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"),
    ("CA", "California"), ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"),
    ("DC", "District of Columbia"), ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"),
    ("ID", "Idaho"), ("IL", "Illinois"), ("IN", "Indiana"), ("IA", "Iowa"),
    ("KS", "Kansas"), ("KY", "Kentucky"), ("LA", "Louisiana"), ("ME", "Maine"),
    ("MD", "Maryland"), ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"),
    ("MS", "Mississippi"), ("MO", "Missouri"), ("MT", "Montana"), ("NE", "Nebraska"),
    ("NV", "Nevada"), ("NH", "New Hampshire"), ("NJ", "New Jersey"), ("NM", "New Mexico"),
    ("NY", "New York"), ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"),
    ("OK", "Oklahoma"), ("OR", "Oregon"), ("PA", "Pennsylvania"), ("RI", "Rhode Island"),
    ("SC", "South Carolina"), ("SD", "South Dakota"), ("TN", "Tennessee"), ("TX", "Texas"),
    ("UT", "Utah"), ("VT", "Vermont"), ("VA", "Virginia"), ("WA", "Washington"),
    ("WV", "West Virginia"), ("WI", "Wisconsin"), ("WY", "Wyoming"),
    ("AS", "American Samoa"), ("GU", "Guam"), ("MP", "Northern Mariana Islands"),
    ("PR", "Puerto Rico"), ("VI", "U.S. Virgin Islands"),
]  # fmt: skip


class SlugNaturalKeyManager(models.Manager):
    """Finds rows by slug, so fixtures and backups refer to people by name, not id."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Organisation(models.Model):
    """A body officials belong to: a department, a committee, an agency."""

    name = models.CharField(
        max_length=200,
        help_text="Full name as readers should see it, e.g. “U.S. Department of State”.",
    )
    slug = models.SlugField(
        max_length=200, unique=True, help_text="Used in web addresses. Lowercase, hyphens."
    )
    url = models.URLField("website", blank=True, help_text="The organisation's own website.")
    description = models.TextField(blank=True, help_text="A sentence or two for readers.")

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = [Lower("name")]
        verbose_name = "organisation"
        verbose_name_plural = "organisations"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Author(models.Model):
    """A journalist who writes for the newsroom and appears in bylines."""

    name = models.CharField(max_length=200, help_text="Name as printed in bylines.")
    slug = models.SlugField(
        max_length=200, unique=True, help_text="Used in the author page's address."
    )
    job_title = models.CharField(
        max_length=200,
        blank=True,
        help_text="Printed with the byline unless a story gives another, "
        "e.g. “Senior Political Correspondent”.",
    )
    bio = models.TextField(blank=True, help_text="A short biography for the author page.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
        help_text="The login this author uses in the admin, if they have one.",
    )

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = [Lower("name")]
        verbose_name = "author"
        verbose_name_plural = "authors"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:author", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class Official(models.Model):
    """A person quoted in stories: a spokesperson, a legislator, a minister."""

    class Party(models.TextChoices):
        DEMOCRATIC = "D", "Democratic"
        REPUBLICAN = "R", "Republican"
        INDEPENDENT = "I", "Independent"

    class Chamber(models.TextChoices):
        HOUSE = "house", "House of Representatives"
        SENATE = "senate", "Senate"

    HONORIFICS = {Chamber.HOUSE: "Rep.", Chamber.SENATE: "Sen."}

    name = models.CharField(max_length=200, help_text="Full name, e.g. “Young Kim”.")
    slug = models.SlugField(
        max_length=200, unique=True, help_text="Used in the official's page address."
    )
    title = models.CharField(
        "title or office",
        max_length=255,
        blank=True,
        help_text="As printed with their name, e.g. “State Department spokesperson” or "
        "“Chair, House Foreign Affairs Committee”.",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="officials",
        help_text="The body they speak for, if any.",
    )
    party = models.CharField(
        max_length=1, choices=Party.choices, blank=True, help_text="Legislators only."
    )
    chamber = models.CharField(
        max_length=10,
        choices=Chamber.choices,
        blank=True,
        help_text="Legislators only: gives “Rep.” or “Sen.” before the name.",
    )
    state = models.CharField(
        max_length=2,
        choices=US_STATES,
        blank=True,
        help_text="Legislators only: the state they represent.",
    )
    bio = models.TextField(blank=True, help_text="A short description for the official's page.")

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = [Lower("name")]
        verbose_name = "official"
        verbose_name_plural = "officials"

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("people:official", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    @property
    def honorific(self) -> str:
        return self.HONORIFICS.get(self.chamber, "")

    @property
    def party_and_state(self) -> str:
        """The newspaper designation, “R-CA”; empty unless both are known."""
        if self.party and self.state:
            return f"{self.party}-{self.state}"
        return ""

    @property
    def display_name(self) -> str:
        """The name as a story prints it: “Rep. Young Kim (R-CA)”."""
        name = f"{self.honorific} {self.name}" if self.honorific else self.name
        designation = self.party_and_state
        return f"{name} ({designation})" if designation else name
