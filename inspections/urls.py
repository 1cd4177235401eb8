from django.urls import path  # noqa: F401

from .views import plans, portal, public, rectification, replacements, review, tasks, tracking

app_name = "inspections"
urlpatterns: list = []

# Self-inspection, pledges, results and rectification (seed 002 §四, §五(三)).
urlpatterns += [
    path("portal/", portal.portal_home, name="portal_home"),
    path("portal/campaigns/<int:pk>/self-inspection/", portal.self_inspection_edit,
         name="self_inspection_edit"),
    path("portal/campaigns/<int:pk>/pledge/", portal.pledge_sign, name="pledge_sign"),
    path("tasks/mine/", tasks.my_tasks, name="my_tasks"),
    path("tasks/<int:pk>/result/", tasks.task_result, name="task_result"),
    path("review/", review.review_queue, name="review_queue"),
    path("tracking/", tracking.campaign_tracking_list, name="campaign_tracking_list"),
    path("tracking/<int:pk>/", tracking.campaign_tracking, name="campaign_tracking"),
    path("rectification/", rectification.rectification_list, name="rectification_list"),
    path("rectification/<int:pk>/respond/", rectification.rectification_respond,
         name="rectification_respond"),
    path("rectification/<int:pk>/accept/", rectification.rectification_accept,
         name="rectification_accept"),
]

# Plans and draws (staff) and their public pages (seed 001 §三(三), seed 002 §二–三).
urlpatterns += [
    path("plans/", plans.plan_manage_list, name="plan_manage_list"),
    path("plans/<int:pk>/", plans.plan_manage_detail, name="plan_manage_detail"),
    path("plans/<int:pk>/publish/", plans.plan_publish_view, name="plan_publish"),
    path("plans/<int:pk>/draw/commit/", plans.draw_commit_view, name="draw_commit"),
    path("plans/<int:pk>/results/publish/", review.results_publish_view, name="results_publish"),
    path("draws/<int:pk>/run/", plans.draw_run_view, name="draw_run"),
    path("tasks/<int:pk>/replacements/", replacements.replacement_request_view,
         name="replacement_request"),
    path("replacements/<int:pk>/approve/", replacements.replacement_approve_view,
         name="replacement_approve"),
    path("replacements/<int:pk>/reject/", replacements.replacement_reject_view,
         name="replacement_reject"),
    path("public/plans/", public.public_plan_list, name="public_plan_list"),
    path("public/plans/<int:pk>/", public.public_plan_detail, name="public_plan_detail"),
    path("public/draws/<int:pk>/verify/", public.public_draw_verify, name="public_draw_verify"),
]
