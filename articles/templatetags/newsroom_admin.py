"""Template helpers for the newsroom admin."""

from django import template

from articles import workflow

register = template.Library()


@register.inclusion_tag("admin/newsroom/desk.html", takes_context=True)
def newsroom_desk(context):
    """The admin home's lists of stories that need attention, for the logged-in user."""
    user = context["request"].user
    if not user.has_perm(workflow.VIEW_PERMISSION):
        return {"desk": None}
    return {"desk": workflow.desk_for(user)}
