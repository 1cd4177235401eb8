"""factory_boy factories for the domain models (Faker zh_CN)."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from factory.django import DjangoModelFactory

from accounts.models import Role, User
from inspections.models import Authority, AuthorityLevel, Department, Inspector
from institutions.codes import certificate_number_make, uscc_make
from institutions.models import Institution, Region, TestingField
from qualifications.models import Certificate

_serial = itertools.count(10_000_000)
_cert_serial = itertools.count(1)
_card = itertools.count(1)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def field(code: str) -> TestingField:
    return TestingField.objects.get(code=code)


class InstitutionFactory(DjangoModelFactory):
    class Meta:
        model = Institution
        skip_postgeneration_save = True

    name = factory.Faker("company", locale="zh_CN")
    region = factory.LazyFunction(lambda: region("440103"))
    uscc = factory.LazyAttribute(lambda o: uscc_make(region_code=o.region.code,
                                                     serial=next(_serial)))
    primary_field = factory.LazyFunction(lambda: field("07"))
    contact_person = factory.Faker("name", locale="zh_CN")
    contact_phone = factory.Faker("phone_number", locale="zh_CN")

    @factory.post_generation
    def fields(self, create, extracted, **kwargs):
        if create:
            self.fields.set(extracted or [self.primary_field])


class CertificateFactory(DjangoModelFactory):
    class Meta:
        model = Certificate
        skip_postgeneration_save = True

    institution = factory.SubFactory(InstitutionFactory)
    number = factory.LazyAttribute(lambda o: certificate_number_make(
        year=2022, authority=o.institution.region.code[:2], field=o.institution.primary_field.code,
        industry="12", serial=next(_cert_serial)))
    issuing_authority = "广东省市场监督管理局"
    issued_on = dt.date(2022, 3, 1)
    valid_until = dt.date(2028, 2, 28)

    @factory.post_generation
    def fields(self, create, extracted, **kwargs):
        if create:
            self.fields.set(extracted or [self.institution.primary_field])


class AuthorityFactory(DjangoModelFactory):
    class Meta:
        model = Authority
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试监管局{n}")
    department = Department.MARKET_REGULATION
    level = AuthorityLevel.PROVINCE
    region = factory.LazyFunction(lambda: region("440000"))


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.REGULATOR
    password = factory.PostGenerationMethodCall("set_password", "pw-123456")

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        if create:
            self.save()


class InspectorFactory(DjangoModelFactory):
    class Meta:
        model = Inspector
        skip_postgeneration_save = True

    name = factory.Faker("name", locale="zh_CN")
    authority = factory.LazyFunction(lambda: Authority.objects.get(name="广东省市场监督管理局"))
    card_number = factory.LazyFunction(lambda: f"T{next(_card):08d}")
    card_valid_until = dt.date(2030, 12, 31)

    @factory.post_generation
    def fields(self, create, extracted, **kwargs):
        if create and extracted:
            self.fields.set(extracted)
