"""``GET /workload``: the lab manager's figures (lab people of the lab only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from starlette.concurrency import run_in_threadpool

from labdesk.api import schemas
from labdesk.server.deps import PortalDep, PrincipalDep, json_response
from labdesk.server.errors import forbidden
from labdesk.server.workload import workload

router = APIRouter()


@router.get(
    "/workload",
    response_model=schemas.Workload,
    tags=["workload"],
    responses={401: {"model": schemas.ErrorResponse}, 403: {"model": schemas.ErrorResponse}},
)
async def get_workload(
    who: PrincipalDep,
    portal: PortalDep,
    clinic_id: Annotated[int | None, Query(ge=1, le=schemas.MAX_WIRE_INT)] = None,
    catalog_code: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    lab_id = who.lab_id
    if lab_id is None:
        raise forbidden("Only the lab's people see its workload.")

    def compute() -> schemas.Workload:
        with portal.db.read_session() as session:
            return workload(session, lab_id, clinic_id=clinic_id, catalog_code=catalog_code)

    return json_response(await run_in_threadpool(compute))
