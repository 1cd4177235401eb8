from django.urls import path  # noqa: F401

from .views import portal, rectification, tasks, tracking

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
    path("tracking/", tracking.campaign_tracking_list, name="campaign_tracking_list"),
    path("tracking/<int:pk>/", tracking.campaign_tracking, name="campaign_tracking"),
    path("rectification/", rectification.rectification_list, name="rectification_list"),
    path("rectification/<int:pk>/respond/", rectification.rectification_respond,
         name="rectification_respond"),
    path("rectification/<int:pk>/accept/", rectification.rectification_accept,
         name="rectification_accept"),
]
